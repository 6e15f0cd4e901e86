namespace Berth.Core.Messaging;

/// <summary>Whether a message's attributes match a subscription's filter: every attribute the filter names, with exactly its value.</summary>
public static class MessageFilter
{
    /// <summary>True when <paramref name="attributes"/> carry every name of <paramref name="filter"/> with the same value (ordinal).</summary>
    public static bool Matches(IReadOnlyDictionary<string, string> filter, IReadOnlyDictionary<string, string> attributes)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(attributes);
        foreach (var (name, value) in filter)
        {
            if (!attributes.TryGetValue(name, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
