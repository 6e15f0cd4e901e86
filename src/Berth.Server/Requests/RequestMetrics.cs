using System.Diagnostics.Metrics;
using Berth.Core.Requests;
using Berth.Server.Observability;

namespace Berth.Server.Requests;

/// <summary>
/// Durable requests as they move (each tagged <c>berth.agent</c>): <c>berth.requests.accepted</c> (taken for durable delivery),
/// <c>berth.requests.replays</c> (deliveries from the queue), <c>berth.requests.retries</c> (a failed attempt that will be
/// tried again), <c>berth.requests.dead_lettered</c> and <c>berth.requests.completed</c>. How many wait in each state is the
/// gauge <c>berth.requests.open</c> (see <see cref="StoredStateGauges"/>).
/// </summary>
internal static class RequestMetrics
{
    private static readonly Counter<long> Accepted = BerthTelemetry.Meter.CreateCounter<long>(
        "berth.requests.accepted", "{request}", "Requests the proxy accepted for durable delivery (persistence on).");

    private static readonly Counter<long> Replays = BerthTelemetry.Meter.CreateCounter<long>(
        "berth.requests.replays", "{request}", "Deliveries of stored requests from the queue: after the agent recovered, a retry's backoff or a lost lease.");

    private static readonly Counter<long> Retries = BerthTelemetry.Meter.CreateCounter<long>(
        "berth.requests.retries", "{request}", "Failed delivery attempts that will be retried.");

    private static readonly Counter<long> DeadLettered = BerthTelemetry.Meter.CreateCounter<long>(
        "berth.requests.dead_lettered", "{request}", "Requests whose attempts were used up.");

    private static readonly Counter<long> Completed = BerthTelemetry.Meter.CreateCounter<long>(
        "berth.requests.completed", "{request}", "Requests answered by their agent (any status) and stored.");

    public static void RecordAccepted(string agentName) => Accepted.Add(1, new KeyValuePair<string, object?>("berth.agent", agentName));

    public static void RecordReplay(string agentName) => Replays.Add(1, new KeyValuePair<string, object?>("berth.agent", agentName));

    /// <summary>Counts an outcome being stored: completed, retrying or dead-lettered; other states are not outcomes.</summary>
    public static void RecordOutcome(ProxiedRequest request)
    {
        var counter = request.State switch
        {
            RequestState.Completed => Completed,
            RequestState.Retrying => Retries,
            RequestState.DeadLettered => DeadLettered,
            _ => null,
        };
        counter?.Add(1, new KeyValuePair<string, object?>("berth.agent", request.AgentName));
    }
}
