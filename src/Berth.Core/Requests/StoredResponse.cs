namespace Berth.Core.Requests;

/// <summary>What the agent answered to a request.</summary>
public sealed record StoredResponse
{
    /// <summary>HTTP status code.</summary>
    public required int Status { get; init; }

    /// <summary>Headers and body; the body is cut at the server's response storage limit when <see cref="Truncated"/>.</summary>
    public required StoredMessage Message { get; init; }

    /// <summary>Whether the body was longer than the storage limit and only its start is stored.</summary>
    public bool Truncated { get; init; }

    /// <summary>Length of the whole body the agent sent, in bytes.</summary>
    public long Length { get; init; }
}
