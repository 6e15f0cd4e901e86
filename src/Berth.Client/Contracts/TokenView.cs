namespace Berth.Client.Contracts;

/// <summary>A token as the API lists it: never the token itself, never its hash.</summary>
public sealed record TokenView
{
    /// <summary>Short public id (12 hex characters); pass it to revoke the token.</summary>
    public required string Id { get; init; }

    /// <summary><c>admin</c>, <c>operator</c>, <c>viewer</c> or <c>agent</c>.</summary>
    public required string Role { get; init; }

    /// <summary>What the token is for; null when none was given.</summary>
    public string? Description { get; init; }

    /// <summary>For agent tokens, the agent it identifies; null for user tokens.</summary>
    public string? Agent { get; init; }

    /// <summary><c>active</c>, <c>expired</c> or <c>revoked</c>, as of the moment the server answered.</summary>
    public required string Status { get; init; }

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it stops working; null means never.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>When it was revoked; null while it has not been.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>When it was last used (to within a few seconds); null when never.</summary>
    public DateTimeOffset? LastUsedAt { get; init; }
}
