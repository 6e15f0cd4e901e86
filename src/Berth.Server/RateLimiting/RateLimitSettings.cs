namespace Berth.Server.RateLimiting;

/// <summary>Per-token request budgets (<c>Berth:RateLimit</c>): a token bucket per token, or per address for requests without a valid token.</summary>
public sealed class RateLimitSettings
{
    /// <summary>The configuration section these settings bind from.</summary>
    public const string Section = "Berth:RateLimit";

    /// <summary>Sustained requests per second each token may make. Default 100; 0 turns rate limiting off.</summary>
    public int RequestsPerSecond { get; set; } = 100;

    /// <summary>Requests a token may make at once before the sustained rate applies (the bucket's size). Default 200; 0 turns rate limiting off.</summary>
    public int Burst { get; set; } = 200;

    /// <summary>True unless either setting is 0.</summary>
    public bool Enabled => RequestsPerSecond > 0 && Burst > 0;
}
