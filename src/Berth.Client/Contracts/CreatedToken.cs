namespace Berth.Client.Contracts;

/// <summary>The answer to creating a token: the token itself, shown this once and never again, and its record.</summary>
/// <param name="Token">The bearer token (<c>berth_…</c>). Store it now: the server keeps only its hash.</param>
/// <param name="Record">What listings show for it.</param>
public sealed record CreatedToken(string Token, TokenView Record);
