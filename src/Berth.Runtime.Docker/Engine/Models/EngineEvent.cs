namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>One object of the <c>GET /events</c> stream.</summary>
public sealed record EngineEvent
{
    /// <summary><c>container</c>, <c>image</c>, <c>network</c>, <c>volume</c>...</summary>
    public string Type { get; init; } = "";

    /// <summary><c>create</c>, <c>start</c>, <c>die</c>, <c>destroy</c>...</summary>
    public string Action { get; init; } = "";

    public EventActor Actor { get; init; } = new();

    /// <summary>Unix time in nanoseconds.</summary>
    public long TimeNano { get; init; }
}
