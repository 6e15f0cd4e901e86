using Berth.Core.Llm;

namespace Berth.Server.Llm;

/// <summary>
/// What came back from the providers a call was sent to: the answer to pass on (the first that was not a 429, a 5xx or a
/// failure, or the last one when every endpoint failed), or none when no endpoint answered at all.
/// </summary>
internal sealed record UpstreamAnswer : IDisposable
{
    /// <summary>The provider's answer, headers read and body not yet; null when none came.</summary>
    public HttpResponseMessage? Response { get; init; }

    /// <summary>The endpoint that answered; null when none did.</summary>
    public ModelEndpointSpec? ServedBy { get; init; }

    /// <summary>That endpoint's entry for the model asked for.</summary>
    public ModelEntry? Model { get; init; }

    /// <summary>Attempts made, over every endpoint tried.</summary>
    public int Attempts { get; init; }

    /// <summary>The endpoints given up on and why (<c>primary: 503</c>), in order; empty when the first one answered.</summary>
    public IReadOnlyList<string> Failovers { get; init; } = [];

    public void Dispose() => Response?.Dispose();
}
