namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>Which events to stream.</summary>
public sealed record EventsQuery
{
    /// <summary>Engine filters, for example <c>type=[container]</c>, <c>label=[berth.managed=true]</c>, <c>event=[start]</c>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Filters { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Replay events from this time. Null: only new ones.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>End the stream at this time. Null: stream until cancelled.</summary>
    public DateTimeOffset? Until { get; init; }
}
