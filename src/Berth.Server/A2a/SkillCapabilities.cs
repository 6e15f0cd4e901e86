using System.Text;
using System.Text.Json.Nodes;
using Berth.Core.Specs;

namespace Berth.Server.A2a;

/// <summary>
/// A2A skills as capability names: each skill's <c>id</c> with every run of characters a capability name may not hold
/// (anything but letters, digits, '-', '_' and '.') turned into one '-', trimmed of '-' at either end and cut to the
/// capability name limit; ids that leave nothing are skipped, duplicates listed once, the card's order kept.
/// <c>summarize</c> stays <c>summarize</c>; <c>Say Hello!</c> becomes <c>Say-Hello</c>.
/// </summary>
internal static class SkillCapabilities
{
    /// <summary>The capability names of <paramref name="card"/>'s <c>skills[].id</c>.</summary>
    public static IReadOnlyList<string> Of(JsonObject card)
    {
        if (card["skills"] is not JsonArray skills)
        {
            return [];
        }

        var names = new List<string>();
        foreach (var skill in skills)
        {
            if (skill is JsonObject { } entry && entry["id"] is JsonValue id && id.TryGetValue<string>(out var text) &&
                Sanitise(text) is { } name && !names.Contains(name, StringComparer.Ordinal))
            {
                names.Add(name);
            }
        }

        return names;
    }

    /// <summary><paramref name="skillId"/> as a capability name, or null when nothing usable is left.</summary>
    public static string? Sanitise(string skillId)
    {
        var builder = new StringBuilder(Math.Min(skillId.Length, CapabilityRules.MaximumNameLength));
        foreach (var c in skillId)
        {
            var kept = char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';
            if (kept)
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }

            if (builder.Length >= CapabilityRules.MaximumNameLength)
            {
                break;
            }
        }

        var name = builder.ToString().Trim('-');
        return CapabilityRules.IsName(name) ? name : null;
    }
}
