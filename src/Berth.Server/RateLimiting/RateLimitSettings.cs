namespace Berth.Server.RateLimiting;

/// <summary>
/// Per-token budgets (<c>Berth:RateLimit</c>): two token buckets per token, or per address for requests without a valid
/// token, one counting requests and one counting request-body bytes. Every number must be positive; rate limiting is turned
/// off only by <see cref="Enabled"/> = false, never by a 0 (which an operator could as well mean as "nothing").
/// </summary>
public sealed class RateLimitSettings
{
    /// <summary>The configuration section these settings bind from.</summary>
    public const string Section = "Berth:RateLimit";

    /// <summary>False turns every rate limit off (the server warns at start). Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Sustained requests per second each token may make. Default 100.</summary>
    public int RequestsPerSecond { get; set; } = 100;

    /// <summary>Requests a token may make at once before the sustained rate applies (the bucket's size). Default 200.</summary>
    public int Burst { get; set; } = 200;

    /// <summary>Sustained request-body bytes per second each token may send. Default 16 MiB.</summary>
    public int BytesPerSecond { get; set; } = 16 * 1024 * 1024;

    /// <summary>Request-body bytes a token may send at once (the byte bucket's size); a larger body costs a full bucket. Default 64 MiB.</summary>
    public int BytesBurst { get; set; } = 64 * 1024 * 1024;
}
