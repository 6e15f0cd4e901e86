using Berth.Core.Requests;

namespace Berth.Server.Requests;

/// <summary>What one delivery attempt gave: the agent's response (any status), or a classified failure.</summary>
internal sealed record AttemptOutcome(HttpResponseMessage? Response, DeliveryFailure? Failure, string? Error)
{
    public static AttemptOutcome Answered(HttpResponseMessage response) => new(response, null, null);

    public static AttemptOutcome Failed(DeliveryFailure failure, string error) => new(null, failure, error);
}
