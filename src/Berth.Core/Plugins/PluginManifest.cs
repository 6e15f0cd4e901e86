using Berth.Core.Specs;

namespace Berth.Core.Plugins;

/// <summary>
/// What was read from a plugin's folder: the manifest as a <see cref="PluginSpec"/> (paths resolved against the folder), the
/// file it came from, what was converted or assumed on the way, and every problem found.
/// </summary>
public sealed record PluginManifest
{
    /// <summary>The manifest, or null when <see cref="Errors"/> is not empty.</summary>
    public PluginSpec? Spec { get; init; }

    /// <summary>The file read: <c>plugin.yaml</c> or <c>manifest.json</c>; empty when neither was found.</summary>
    public string File { get; init; } = "";

    /// <summary>What was converted, dropped or assumed (a Stage7 manifest's fields, a <c>manifest.json</c> left unread). Empty by default.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Every problem, each with its path (<c>plugin.yaml: spec.version</c>). Empty when the manifest is valid.</summary>
    public IReadOnlyList<SpecError> Errors { get; init; } = [];

    /// <summary>True when a manifest was read without problems.</summary>
    public bool IsValid => Spec is not null && Errors.Count == 0;
}
