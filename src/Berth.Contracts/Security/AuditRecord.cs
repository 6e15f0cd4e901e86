namespace Berth.Core.Security;

/// <summary>
/// One entry of the audit log: who did (or tried to do) what to which object, and how it ended. Written for every
/// mutating API request and every denied request; never holds a request body, a query string or a token.
/// </summary>
public sealed record AuditRecord
{
    /// <summary>Store-assigned, increasing id; 0 before it is stored.</summary>
    public long Id { get; init; }

    /// <summary>When the request arrived (UTC).</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>Who made the request: <c>token:{id}</c>, <c>agent:{name}/{instance}</c>, or <c>anonymous</c> when no token was accepted.</summary>
    public required string Principal { get; init; }

    /// <summary>The id of the token the request authenticated with; null when anonymous.</summary>
    public string? TokenId { get; init; }

    /// <summary>The principal's role (<c>admin</c>, <c>operator</c>, <c>viewer</c>, <c>agent</c>); null when anonymous.</summary>
    public string? Role { get; init; }

    /// <summary>The method and route pattern, like <c>PUT /api/v1/agents/{name}</c>; the path when no route matched.</summary>
    public required string Action { get; init; }

    /// <summary>A short name of the operation, like <c>agents.apply</c> or <c>tokens.create</c>; null when the route has none.</summary>
    public string? Verb { get; init; }

    /// <summary>What the request was aimed at: its route values as <c>key=value</c> pairs, like <c>name=web</c>; null when none.</summary>
    public string? Target { get; init; }

    /// <summary>The HTTP status the server answered with.</summary>
    public required int Status { get; init; }

    /// <summary>One of <see cref="AuditOutcomes"/>: <c>allowed</c>, <c>denied</c> or <c>failed</c>.</summary>
    public required string Outcome { get; init; }

    /// <summary>
    /// How many requests the record stands for: 1, except for denied requests of one source, principal and status within
    /// one minute beyond the first few, which are kept as one record with their count (its action is then <c>*</c>).
    /// </summary>
    public int Count { get; init; } = 1;

    /// <summary>The address the request came from (the TCP peer; forwarded headers are not trusted); null when unknown.</summary>
    public string? Source { get; init; }
}
