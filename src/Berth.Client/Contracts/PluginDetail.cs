namespace Berth.Client.Contracts;

/// <summary>An installed plugin with every version: manifest, origin, notes and pool.</summary>
public sealed record PluginDetail
{
    /// <summary>The plugin's id.</summary>
    public required string Id { get; init; }

    /// <summary>Installed versions, newest first.</summary>
    public required IReadOnlyList<PluginVersionView> Versions { get; init; }
}
