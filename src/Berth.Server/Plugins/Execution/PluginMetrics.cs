using System.Diagnostics;
using System.Diagnostics.Metrics;
using Berth.Server.Observability;

namespace Berth.Server.Plugins.Execution;

/// <summary>
/// The plugin invoker's meter: <c>berth.plugin.call.duration</c> (seconds, tagged <c>berth.plugin</c> <c>ID@VERSION</c>,
/// <c>berth.outcome</c> succeeded or failed, and <c>berth.error_class</c> on a failure), one measurement per recorded call,
/// retries included, so a MeterListener or an OpenTelemetry exporter sees each plugin's latency and failures.
/// </summary>
internal static class PluginMetrics
{
    private static readonly Histogram<double> CallDuration = BerthTelemetry.Meter.CreateHistogram(
        "berth.plugin.call.duration", unit: "s", description: "Duration of plugin calls, from the invoker taking the call to the checked outputs or the failure, retries included.", advice: DurationBuckets.Requests);

    public static void RecordCall(string plugin, string? errorClass, TimeSpan duration)
    {
        var tags = new TagList { { "berth.plugin", plugin }, { "berth.outcome", errorClass is null ? "succeeded" : "failed" } };
        if (errorClass is not null)
        {
            tags.Add("berth.error_class", errorClass);
        }

        CallDuration.Record(duration.TotalSeconds, tags);
    }
}
