using Berth.Core.Specs;

namespace Berth.Core.Plugins;

/// <summary>One installed version of a plugin, as stored.</summary>
public sealed record PluginRecord
{
    /// <summary>The plugin's id.</summary>
    public required string Id { get; init; }

    /// <summary>The installed version (semver).</summary>
    public required string Version { get; init; }

    /// <summary>The manifest as installed, with paths resolved against <see cref="Directory"/>.</summary>
    public required PluginSpec Spec { get; init; }

    /// <summary>The folder holding Berth's copy of the package; a process plugin runs in it.</summary>
    public required string Directory { get; init; }

    /// <summary>SHA-256 of the package as received, <c>sha256:…</c>.</summary>
    public required string Digest { get; init; }

    /// <summary>Where the package came from, as the installer said (<c>dir ./text-analysis</c>, <c>git https://…#v1</c>, <c>tarball x.tar.gz</c>).</summary>
    public required string Source { get; init; }

    /// <summary>What was converted or assumed while reading the manifest (a Stage7 manifest's fields, for one). Empty by default.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>When it was installed.</summary>
    public required DateTimeOffset InstalledAt { get; init; }

    /// <summary>Who installed it (<c>token:NAME</c>).</summary>
    public required string InstalledBy { get; init; }

    /// <summary><c>id@version</c>.</summary>
    public string Reference => $"{Id}@{Version}";
}
