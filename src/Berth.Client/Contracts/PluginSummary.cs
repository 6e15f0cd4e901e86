namespace Berth.Client.Contracts;

/// <summary>One installed plugin in a list: its id, its installed versions (newest first) and what its newest version says of itself.</summary>
public sealed record PluginSummary
{
    /// <summary>The plugin's id.</summary>
    public required string Id { get; init; }

    /// <summary>Installed versions, newest first.</summary>
    public required IReadOnlyList<string> Versions { get; init; }

    /// <summary>The newest version's description; null when it has none.</summary>
    public string? Description { get; init; }

    /// <summary>The capabilities the newest version provides, by name.</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = [];

    /// <summary>The newest version's tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
}
