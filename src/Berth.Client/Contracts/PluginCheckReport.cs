using System.Text.Json.Serialization;

namespace Berth.Client.Contracts;

/// <summary>
/// The contract check of a plugin package: every check run, in order (the check stops at the first that fails, except the
/// <c>execute</c> checks, which all run), and the notes of reading its manifest.
/// </summary>
public sealed record PluginCheckReport
{
    /// <summary>The plugin's id, when the manifest named one.</summary>
    public string? Id { get; init; }

    /// <summary>The plugin's version, when the manifest named one.</summary>
    public string? Version { get; init; }

    /// <summary>SHA-256 of the package as received, <c>sha256:…</c>.</summary>
    public string? Digest { get; init; }

    /// <summary>True when every check passed.</summary>
    public required bool Passed { get; init; }

    /// <summary>The checks run, in order.</summary>
    public IReadOnlyList<PluginCheck> Checks { get; init; } = [];

    /// <summary>What was converted or assumed while reading the manifest. Empty by default.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The first check that failed, or null.</summary>
    [JsonIgnore]
    public PluginCheck? FirstFailure => Checks.FirstOrDefault(c => !c.Passed);
}
