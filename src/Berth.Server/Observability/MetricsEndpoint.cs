using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Berth.Server.Observability;

/// <summary>Maps <c>GET /metrics</c>: Prometheus text for a user token or a <c>metrics</c> token (which can read nothing else).</summary>
internal static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static WebApplication MapBerthMetrics(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value.Metrics)
        {
            // The exporter maps the path for every method; a scrape is a GET, so anything else is 405, not a second way in.
            app.MapPrometheusScrapingEndpoint(Path)
                .WithMetadata(new HttpMethodMetadata([HttpMethods.Get]))
                .RequireAuthorization(BerthPolicies.MetricsReader);
        }

        return app;
    }
}
