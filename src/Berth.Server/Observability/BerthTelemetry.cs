using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Berth.Server.Observability;

/// <summary>
/// The server's one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named <c>Berth</c>. Each feature declares its
/// instruments beside its code (<c>ProxyMetrics</c>, <c>WorkflowMetrics</c>, …) on this meter, so one <c>AddMeter("Berth")</c>
/// exports them all. Durations are in seconds; names follow OpenTelemetry's conventions and become Prometheus names on export
/// (<c>berth.proxy.request.duration</c> with unit <c>s</c> is <c>berth_proxy_request_duration_seconds</c>).
/// </summary>
internal static class BerthTelemetry
{
    public const string Name = "Berth";

    public static readonly ActivitySource Source = new(Name, ServerVersionText);

    public static readonly Meter Meter = new(Name, ServerVersionText);

    private static string ServerVersionText => typeof(BerthTelemetry).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
