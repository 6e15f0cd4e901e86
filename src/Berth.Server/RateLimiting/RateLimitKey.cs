using System.Net;

namespace Berth.Server.RateLimiting;

/// <summary>Whose budget a request spends: its token's, or for requests without a valid token, its source address's.</summary>
internal readonly record struct RateLimitKey(string? TokenId, IPAddress? Address)
{
    /// <summary>The partition of exempt requests (<c>/healthz</c>); token ids are never empty, so it is shared with no caller.</summary>
    public static RateLimitKey Unlimited { get; } = new("", null);
}
