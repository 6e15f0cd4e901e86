using System.Diagnostics.Metrics;
using Berth.Server.Observability;

namespace Berth.Server.Reconciliation;

/// <summary>
/// What the reconciler does to instances (tagged <c>berth.agent</c>): <c>berth.instance.restarts</c> and
/// <c>berth.instance.probes</c> (tagged <c>berth.outcome</c> <c>healthy</c> or <c>failed</c>). How many instances are in each state
/// is the gauge <c>berth.instances</c> (see <see cref="StoredStateGauges"/>).
/// </summary>
internal static class InstanceMetrics
{
    private static readonly Counter<long> Restarts = BerthTelemetry.Meter.CreateCounter<long>(
        "berth.instance.restarts", "{restart}", "Instances started again after they exited or stayed unhealthy.");

    private static readonly Counter<long> Probes = BerthTelemetry.Meter.CreateCounter<long>(
        "berth.instance.probes", "{probe}", "Health probes the reconciler sent, by outcome.");

    public static void RecordRestart(string agentName) => Restarts.Add(1, new KeyValuePair<string, object?>("berth.agent", agentName));

    public static void RecordProbe(string agentName, bool healthy) =>
        Probes.Add(1, new KeyValuePair<string, object?>("berth.agent", agentName), new KeyValuePair<string, object?>("berth.outcome", healthy ? "healthy" : "failed"));
}
