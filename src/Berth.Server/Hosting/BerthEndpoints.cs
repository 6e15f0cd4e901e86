using Berth.Server.Backups;
using Berth.Server.A2a;
using Berth.Server.Images;
using Berth.Server.Agents;
using Berth.Server.Audit;
using Berth.Server.Capabilities;
using Berth.Server.Exec;
using Berth.Server.Dashboard;
using Berth.Server.Health;
using Berth.Server.Limits;
using Berth.Server.Llm;
using Berth.Server.Mcp;
using Berth.Server.Observability;
using Berth.Server.Messaging.Api;
using Berth.Server.Plugins.Api;
using Berth.Server.Proxy;
using Berth.Server.RateLimiting;
using Berth.Server.Requests;
using Berth.Server.Secrets;
using Berth.Server.Security;
using Berth.Server.Stats;
using Berth.Server.Workflows.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Hosting;

/// <summary>
/// Maps every Berth route. Each route group carries its authorization policy where it is mapped; the fallback policy
/// closes anything mapped without one, and a test fails for any route without a policy.
/// </summary>
public static class BerthEndpoints
{
    /// <summary>Maps <c>/api/v1</c>, the agent proxy, MCP, health endpoints, <c>/metrics</c>, the dashboard at <c>/ui</c> and the OpenAPI document.</summary>
    public static WebApplication MapBerth(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseWebSockets(); // berth exec: /api/v1/agents/{name}/exec
        app.UseMiddleware<McpHostValidation>();
        app.UseAuthentication();
        app.UseBerthAudit();
        app.UseBerthRateLimits();
        app.UseAuthorization();
        app.UseRequestBodyLimit();
        app.UseBerthByteRateLimit();
        app.MapHealthApi();
        app.MapBerthMetrics();
        app.MapBerthDashboard();
        app.MapOpenApi().RequireAuthorization(BerthPolicies.Viewer);
        app.MapGroup("/api/v1").RequireAuthorization().Audited()
            .MapAgentsApi()
            .MapTokensApi()
            .MapSecretsApi()
            .MapBackupApi()
            .MapAuditApi()
            .MapRequestsApi()
            .MapWorkflowsApi()
            .MapAgentCardsApi()
            .MapImagesApi()
            .MapRunsApi()
            .MapPluginsApi()
            .MapCapabilitiesApi()
            .MapTopicsApi()
            .MapSubscriptionsApi()
            .MapMessagesApi()
            .MapMailboxesApi()
            .MapStatsApi()
            .MapExecApi()
            .MapModelEndpointsApi()
            .MapUsageApi()
            .MapBudgetsApi();
        app.MapAgentProxy();
        app.MapLlmGateway();
        app.MapCapabilityProxy();
        app.MapBerthMcp();
        return app;
    }
}
