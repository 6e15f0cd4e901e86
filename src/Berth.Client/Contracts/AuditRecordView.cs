namespace Berth.Client.Contracts;

/// <summary>One record of the audit log as <c>GET /api/v1/audit</c> returns it.</summary>
public sealed record AuditRecordView
{
    /// <summary>Increasing id; pass it as <c>before</c> to page to older records.</summary>
    public required long Id { get; init; }

    /// <summary>When the request arrived (UTC).</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>Who made it: <c>token:{id}</c>, <c>agent:{name}/{instance}</c>, or <c>anonymous</c>.</summary>
    public required string Principal { get; init; }

    /// <summary>The id of the token used; null when anonymous.</summary>
    public string? TokenId { get; init; }

    /// <summary>The principal's role; null when anonymous.</summary>
    public string? Role { get; init; }

    /// <summary>Method and route pattern, like <c>PUT /api/v1/agents/{name}</c>.</summary>
    public required string Action { get; init; }

    /// <summary>Short operation name, like <c>agents.apply</c>; null when the route has none.</summary>
    public string? Verb { get; init; }

    /// <summary>What it acted on, as <c>key=value</c> pairs like <c>name=web</c>; null when nothing in particular.</summary>
    public string? Target { get; init; }

    /// <summary>The HTTP status of the answer.</summary>
    public required int Status { get; init; }

    /// <summary><c>allowed</c>, <c>denied</c> (401, 403, 429) or <c>failed</c> (any other error).</summary>
    public required string Outcome { get; init; }

    /// <summary>The caller's address; null when unknown.</summary>
    public string? Source { get; init; }
}
