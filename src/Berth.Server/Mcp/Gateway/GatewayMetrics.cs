using System.Diagnostics;
using System.Diagnostics.Metrics;
using Berth.Server.Observability;

namespace Berth.Server.Mcp.Gateway;

/// <summary>
/// The gateway's meter: <c>berth.mcp.gateway.call.duration</c> (seconds, tagged <c>berth.agent</c> and <c>berth.outcome</c>), one
/// measurement per tool call, so a MeterListener or an OpenTelemetry exporter can see what the gateway adds.
/// </summary>
internal static class GatewayMetrics
{
    private static readonly Histogram<double> CallDuration = BerthTelemetry.Meter.CreateHistogram(
        "berth.mcp.gateway.call.duration", unit: "s", description: "Duration of tool calls through the MCP gateway, from the call reaching Berth to the agent's answer.", advice: DurationBuckets.Requests);

    public static void RecordCall(string agent, string outcome, TimeSpan duration) =>
        CallDuration.Record(duration.TotalSeconds, new TagList { { "berth.agent", agent }, { "berth.outcome", outcome } });
}
