namespace Berth.Core.Requests;

/// <summary>Which stored requests to list, newest first.</summary>
public sealed record RequestQuery
{
    /// <summary>The most requests one query returns: 1000.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Only this agent's; null for all.</summary>
    public string? AgentName { get; init; }

    /// <summary>Only requests in this state; null for all.</summary>
    public RequestState? State { get; init; }

    /// <summary>Only requests accepted at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only requests that involve this agent, as target or caller (what an agent's own token may read); null for no such limit.</summary>
    public string? Party { get; init; }

    /// <summary>Only requests with a sequence below this one, to page backwards; null to start from the newest.</summary>
    public long? BeforeSequence { get; init; }

    /// <summary>At most this many, 1 to <see cref="MaxLimit"/>. Default 100.</summary>
    public int Limit { get; init; } = 100;
}
