namespace Berth.Core.Security;

/// <summary>
/// A bearer token as the store keeps it: who it speaks for and its lifetime, never the token itself.
/// Only the SHA-256 of the token is stored, so a copy of the database cannot be used to call the server.
/// </summary>
public sealed record TokenRecord
{
    /// <summary>Short public id (12 lowercase hex characters) shown in listings and used to revoke the token.</summary>
    public required string Id { get; init; }

    /// <summary>The role it grants: one of <see cref="BerthRoles"/> (<c>admin</c>, <c>operator</c>, <c>viewer</c> or <c>agent</c>).</summary>
    public required string Role { get; init; }

    /// <summary>What the token is for, as its creator described it. Null when none was given.</summary>
    public string? Description { get; init; }

    /// <summary>Lowercase hex SHA-256 of the token text; unique across all tokens.</summary>
    public required string Hash { get; init; }

    /// <summary>For agent tokens: the agent the token identifies. Null for user tokens.</summary>
    public string? AgentName { get; init; }

    /// <summary>For agent tokens: the instance the token was issued to. Null for user tokens.</summary>
    public string? InstanceId { get; init; }

    /// <summary>For a token minted for one workflow step's call to an agent: the run. Null otherwise.</summary>
    public string? RunId { get; init; }

    /// <summary>For a token minted for one workflow step's call to an agent: the step. Null otherwise.</summary>
    public string? StepId { get; init; }

    /// <summary>When it was created (UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it stops working; null means it never expires.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>When it was revoked; null while it has not been.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>When a request last authenticated with it (updated at most every few seconds); null when never used.</summary>
    public DateTimeOffset? LastUsedAt { get; init; }

    /// <summary>True when the token is neither revoked nor expired at <paramref name="now"/>.</summary>
    public bool IsUsableAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is not { } expires || expires > now);
}
