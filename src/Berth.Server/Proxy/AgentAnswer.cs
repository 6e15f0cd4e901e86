namespace Berth.Server.Proxy;

/// <summary>What an in-process proxy call got back (<see cref="InProcessProxy"/>): the status and headers as a client would see them, and the body up to the limit.</summary>
/// <param name="Status">The HTTP status: the agent's, or 202 when a durable request was queued.</param>
/// <param name="Headers">The response headers, several values of one name joined with <c>, </c>.</param>
/// <param name="Body">The body, at most the limit.</param>
/// <param name="Length">How many bytes the body had; more than <paramref name="Body"/> holds when it was cut.</param>
internal sealed record AgentAnswer(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body, long Length)
{
    /// <summary>True when the body was longer than the limit and only its start is kept.</summary>
    public bool Truncated => Length > Body.Length;
}
