using Berth.Server.Reconciliation;

namespace Berth.Server.Capabilities;

/// <summary>
/// The answer of the provider that served a capability call. It counts as a call in flight to that provider (for
/// least-outstanding routing) until disposed, so hold it while the body is read.
/// </summary>
internal sealed class RoutedResponse(string provider, string agent, HttpResponseMessage response, AgentRoute.InFlight inFlight, IReadOnlyList<string> failovers)
    : IDisposable
{
    private int _disposed;

    /// <summary>The provider's id: <c>agent:NAME</c>.</summary>
    public string Provider { get; } = provider;

    /// <summary>The agent that answered.</summary>
    public string Agent { get; } = agent;

    /// <summary>The agent's answer: a success, a non-transient error, or the last provider's transient failure when every one failed so.</summary>
    public HttpResponseMessage Response { get; } = response;

    /// <summary>Why each provider tried before this one was passed over (<c>agent:a answered 503</c>), oldest first.</summary>
    public IReadOnlyList<string> Failovers { get; } = failovers;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Response.Dispose();
            inFlight.Dispose();
        }
    }
}
