namespace Berth.Client.Contracts;

/// <summary>The body of <c>POST /api/v1/tokens</c>.</summary>
public sealed record CreateTokenRequest
{
    /// <summary><c>viewer</c>, <c>operator</c> or <c>admin</c>.</summary>
    public required string Role { get; init; }

    /// <summary>Lifetime as a duration like <c>30d</c> or <c>12h</c> (at most 10 years); null means the token never expires.</summary>
    public string? Expires { get; init; }

    /// <summary>What the token is for, shown in listings (at most 200 characters). Optional.</summary>
    public string? Description { get; init; }
}
