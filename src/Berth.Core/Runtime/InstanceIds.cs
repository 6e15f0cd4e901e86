namespace Berth.Core.Runtime;

/// <summary>Rules for instance ids, which drivers use as folder and container names.</summary>
public static class InstanceIds
{
    /// <summary>Returns <paramref name="instanceId"/> when it is safe as a single path segment (letters, digits, '-', '_', '.'; not '.' or '..'), otherwise throws <see cref="ArgumentException"/>.</summary>
    public static string CheckSafe(string instanceId)
    {
        if (string.IsNullOrEmpty(instanceId) || instanceId is "." or ".."
            || !instanceId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ArgumentException($"instance id '{instanceId}' may hold only letters, digits, '-', '_' and '.'", nameof(instanceId));
        }

        return instanceId;
    }
}
