using Semver;

namespace Berth.Core.Specs;

/// <summary>The rules of a <c>capabilities</c> list, the same for agents and plugins.</summary>
internal static class CapabilityRules
{
    /// <summary>Longest capability name accepted: 100 characters.</summary>
    public const int MaximumNameLength = 100;

    public static void Validate(IReadOnlyList<DeclaredCapability> capabilities, string path, List<SpecError> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < capabilities.Count; i++)
        {
            var capability = capabilities[i];
            var at = $"{path}[{i}]";
            if (!IsName(capability.Name))
            {
                errors.Add(new SpecError($"{at}.name", $"'{capability.Name}' is not valid; expected a name of at most {MaximumNameLength} letters, digits, '-', '_' or '.', like summarize"));
            }
            else if (!seen.Add(capability.Name))
            {
                errors.Add(new SpecError($"{at}.name", $"'{capability.Name}' is listed twice; expected each capability once"));
            }

            if (capability.Version is { } version && !SemVersion.TryParse(version, SemVersionStyles.Strict, out _))
            {
                errors.Add(new SpecError($"{at}.version", $"'{version}' is not a semantic version; expected one like 1.2.0"));
            }
        }
    }

    /// <summary>Whether <paramref name="name"/> can name a capability: it appears in URLs, tool names and messages.</summary>
    public static bool IsName(string? name) =>
        name is { Length: > 0 and <= MaximumNameLength } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
