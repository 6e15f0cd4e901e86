namespace Berth.Core.Llm;

/// <summary>
/// Berth's response cache for an endpoint: a call whose body is byte-for-byte one answered before (after the alias is
/// replaced), and that asks for no stream, is answered from the cache within <see cref="Ttl"/>, sends nothing upstream and
/// costs nothing. Worth it where answers are pure: embeddings, or <c>temperature: 0</c>.
/// </summary>
public sealed record ModelCache
{
    /// <summary>Whether answers are cached. Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>How long an answer is served from the cache, 1s to 30d. Default 1h.</summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromHours(1);
}
