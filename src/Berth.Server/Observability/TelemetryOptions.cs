namespace Berth.Server.Observability;

/// <summary>Settings of metrics and traces, bound from <c>Berth:Telemetry</c>; exporters themselves take the standard <c>OTEL_*</c> variables.</summary>
public sealed record TelemetryOptions
{
    /// <summary>The configuration section: <c>Berth:Telemetry</c>.</summary>
    public const string Section = "Berth:Telemetry";

    /// <summary>Whether <c>/metrics</c> serves Prometheus text. Default true; false removes the route and every metrics listener.</summary>
    public bool Metrics { get; set; } = true;

    /// <summary>
    /// Whether spans are recorded. Default: on when an OTLP endpoint is configured (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c> or
    /// <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>) and <c>OTEL_SDK_DISABLED</c> is not <c>true</c>; off otherwise, so a server with
    /// nowhere to send spans spends nothing on them.
    /// </summary>
    public bool? Tracing { get; set; }
}
