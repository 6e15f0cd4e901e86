using Semver;

namespace Berth.Core.Plugins;

/// <summary>
/// A plugin named in a call or a step: <c>id</c> (the newest installed version), <c>id@1.2.0</c> (exactly that one) or
/// <c>id@^1</c> (the newest in an npm-style range).
/// </summary>
public sealed record PluginReference
{
    private PluginReference(string id, string? versionText, SemVersionRange range)
    {
        Id = id;
        VersionText = versionText;
        Range = range;
    }

    /// <summary>The plugin's id.</summary>
    public string Id { get; }

    /// <summary>What followed '@', as written; null when nothing did.</summary>
    public string? VersionText { get; }

    /// <summary>The versions it accepts; every release version when no version was given.</summary>
    public SemVersionRange Range { get; }

    /// <summary>Reads <paramref name="text"/>, or says what is wrong with it.</summary>
    public static bool TryParse(string? text, out PluginReference? reference, out string? error)
    {
        (reference, error) = (null, null);
        if (string.IsNullOrEmpty(text) || text.Length > 200 || text.Any(char.IsControl))
        {
            error = "expected a plugin like text-analysis, text-analysis@1.2.0 or text-analysis@^1";
            return false;
        }

        var at = text.IndexOf('@', StringComparison.Ordinal);
        var id = at < 0 ? text : text[..at];
        if (!Specs.SpecNames.IsDnsLabel(id))
        {
            error = $"'{id}' is not a plugin id; expected {Specs.SpecNames.DnsLabelHint}";
            return false;
        }

        if (at < 0)
        {
            reference = new PluginReference(id, null, SemVersionRange.All);
            return true;
        }

        var version = text[(at + 1)..];
        if (SemVersion.TryParse(version, SemVersionStyles.Strict, out var exact))
        {
            reference = new PluginReference(id, version, SemVersionRange.Equals(exact));
            return true;
        }

        if (SemVersionRange.TryParseNpm(version, out var range))
        {
            reference = new PluginReference(id, version, range);
            return true;
        }

        error = $"'{version}' is neither a version (1.2.0) nor a range (^1, ~1.2, >=1.0.0 <2.0.0)";
        return false;
    }

    /// <summary>The newest of <paramref name="versions"/> this reference accepts, or null when none is.</summary>
    public string? Choose(IEnumerable<string> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        SemVersion? best = null;
        string? chosen = null;
        foreach (var text in versions)
        {
            if (SemVersion.TryParse(text, SemVersionStyles.Strict, out var version) && Range.Contains(version)
                && (best is null || version.ComparePrecedenceTo(best) > 0))
            {
                (best, chosen) = (version, text);
            }
        }

        return chosen;
    }

    /// <inheritdoc/>
    public override string ToString() => VersionText is null ? Id : $"{Id}@{VersionText}";
}
