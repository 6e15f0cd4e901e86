namespace Berth.Client.Contracts;

/// <summary>The answer to removing a plugin or one version: which versions were removed.</summary>
public sealed record PluginRemoveResponse
{
    /// <summary>The plugin's id.</summary>
    public required string Id { get; init; }

    /// <summary>The versions removed.</summary>
    public required IReadOnlyList<string> Removed { get; init; }
}
