using Berth.Server.Hosting;
using Berth.Server.Hosting.Settings;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Berth.Server.Observability;

/// <summary>Registers OpenTelemetry metrics (exported at <c>/metrics</c>) and traces (exported over OTLP): <c>services.AddBerthTelemetry(configuration)</c>.</summary>
internal static class TelemetryServiceCollectionExtensions
{
    /// <summary>The ASP.NET Core meters whose request metrics (<c>http.server.request.duration</c>, connections) are exported with Berth's own.</summary>
    private static readonly string[] AspNetCoreMeters = ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];

    /// <summary>
    /// .NET's runtime gauges whose names end in <c>.count</c>: exported as they are, Prometheus would read <c>_count</c> as half of
    /// a histogram (promtool rejects them), so they get plural names instead.
    /// </summary>
    private static readonly (string Instrument, string Name)[] RuntimeRenames =
    [
        ("dotnet.assembly.count", "dotnet.assemblies"),
        ("dotnet.process.cpu.count", "dotnet.process.cpus"),
        ("dotnet.thread_pool.thread.count", "dotnet.thread_pool.threads"),
        ("dotnet.timer.count", "dotnet.timers"),
    ];

    public static IServiceCollection AddBerthTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(TelemetryOptions.Section);
        var settings = SettingsBinding.Bind(section, new TelemetryOptions());
        services.AddOptions<TelemetryOptions>().BindSettings(section);
        var tracing = settings.Tracing ?? OtlpConfigured(configuration);
        services.PostConfigure<TelemetryOptions>(o => o.Tracing = tracing);
        if (!settings.Metrics && !tracing)
        {
            return services;
        }

        var telemetry = services.AddOpenTelemetry().ConfigureResource(resource => Describe(resource, configuration));
        if (settings.Metrics)
        {
            services.AddHostedService<StoredStateGauges>();
            telemetry.WithMetrics(metrics =>
            {
                metrics.AddMeter(BerthTelemetry.Name).AddMeter(AspNetCoreMeters).AddRuntimeInstrumentation().AddPrometheusExporter();
                foreach (var (instrument, name) in RuntimeRenames)
                {
                    metrics.AddView(instrument, name);
                }
            });
        }

        if (tracing)
        {
            telemetry.WithTracing(traces =>
            {
                traces.AddSource(BerthTelemetry.Name)
                    .AddAspNetCoreInstrumentation(o => o.Filter = IsTraced)
                    .AddHttpClientInstrumentation();
                if (OtlpConfigured(configuration))
                {
                    traces.AddOtlpExporter();
                }
            });
        }

        return services;
    }

    /// <summary>True when the environment names an OTLP endpoint for traces and has not switched the SDK off.</summary>
    internal static bool OtlpConfigured(IConfiguration configuration) =>
        !string.Equals(configuration["OTEL_SDK_DISABLED"], "true", StringComparison.OrdinalIgnoreCase) &&
        !string.Equals(configuration["OTEL_TRACES_EXPORTER"], "none", StringComparison.OrdinalIgnoreCase) &&
        (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]) || !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]));

    // service.name is berth unless OTEL_SERVICE_NAME says otherwise (the default resource reads it); the instance is this server.
    private static void Describe(ResourceBuilder resource, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]))
        {
            resource.AddService("berth", serviceVersion: ServerVersion.Informational, autoGenerateServiceInstanceId: true);
        }
    }

    // Liveness probes and scrapes arrive every few seconds and say nothing about what Berth did.
    private static bool IsTraced(HttpContext context) =>
        !context.Request.Path.StartsWithSegments("/healthz") && !context.Request.Path.StartsWithSegments("/metrics");
}
