namespace Berth.Core.Requests;

/// <summary>The headers and body of a stored request or response.</summary>
public sealed record StoredMessage
{
    /// <summary>Headers in the order received; a name may repeat.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>The body as stored (for responses possibly cut at the configured limit).</summary>
    public byte[] Body { get; init; } = [];
}
