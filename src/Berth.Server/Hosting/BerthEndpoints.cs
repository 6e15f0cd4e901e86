using Berth.Server.Agents;
using Berth.Server.Health;
using Berth.Server.Proxy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Hosting;

/// <summary>Maps every Berth route. Route groups are the unit an authorization policy will attach to.</summary>
public static class BerthEndpoints
{
    /// <summary>Maps <c>/api/v1</c>, the agent proxy, health endpoints and the OpenAPI document.</summary>
    public static WebApplication MapBerth(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapHealthApi();
        app.MapOpenApi();
        app.MapGroup("/api/v1").MapAgentsApi();
        app.MapAgentProxy();
        return app;
    }
}
