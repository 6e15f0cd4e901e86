using Berth.Core.Serialization;
using Berth.Server.Hosting;
using Berth.Server.Hosting.Settings;
using Berth.Server.Mcp.Gateway;
using Berth.Server.Mcp.Prompts;
using Berth.Server.Mcp.Resources;
using Berth.Server.Mcp.Tasks;
using Berth.Server.Mcp.Tools;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;

namespace Berth.Server.Mcp;

/// <summary>Registers Berth's MCP server: the platform tools at <c>/mcp</c>, for clients of both protocol eras.</summary>
internal static class McpServiceCollectionExtensions
{
    public static IServiceCollection AddBerthMcp(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<McpSettings>().BindSettings(configuration.GetSection(McpSettings.Section))
            .Validate(s => s.GatewayCallTimeout > TimeSpan.Zero, "Berth:Mcp:GatewayCallTimeout must be more than zero; expected a duration like 60s")
            .ValidateOnStart();
        services.AddHttpContextAccessor();
        services.AddMcpGateway();
        services.AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation { Name = "berth", Title = "Berth", Version = ServerVersion.Informational };
                options.ServerInstructions =
                    "Berth runs AI agents and tools. list_agents and get_agent show what runs; apply deploys YAML specs; call_agent reaches an agent through Berth's proxy; run_workflow starts a workflow.";
            })
            .WithHttpTransport(transport =>
            {
                // Clients that initialize get a session (resource subscriptions, progress on their GET stream);
                // 2026-07-28 clients are served statelessly on the same endpoint.
                transport.SessionMode = HttpServerSessionMode.StatefulForInitializeClients;

                // One server, two endpoints: a session started at /mcp/gateway gets the gateway's tools instead of the platform's.
                transport.ConfigureSessionOptions = GatewaySessionOptions.ConfigureAsync;

                // The gateway must notify its sessions, and only the run of a session hands out the session's own server.
                // WithBerthResources (configured after this) wraps this handler to end each session's resource watches with it.
#pragma warning disable MCPEXP002 // RunSessionHandler is experimental in 2.4.0; it is the one place the SDK gives the session's server and its lifetime
                transport.RunSessionHandler = GatewaySessions.RunAsync;
#pragma warning restore MCPEXP002
            })
            // The first filter added is the outermost: failures become results around the audit, which sees role refusals.
            .WithRequestFilters(filters => filters
                .AddListToolsFilter(ToolRoles.FilterList)
                .AddCallToolFilter(McpToolTelemetry.Observe)
                .AddCallToolFilter(ToolFailureFilter.Wrap)
                .AddCallToolFilter(McpAudit.Record)
                .AddCallToolFilter(ToolRoles.CheckCall))
            .WithTools<AgentTools>(BerthJson.Options)
            .WithTools<RequestTools>(BerthJson.Options)
            .WithTools<WorkflowTools>(BerthJson.Options)
            .WithTools<CapabilityTools>(BerthJson.Options)
            .WithTools<PluginTools>(BerthJson.Options)
            .WithTools<MessagingTools>(BerthJson.Options)
            .WithTools<UsageTools>(BerthJson.Options)
            .WithBerthResources()
            .WithPrompts<DeployAgentPrompt>(BerthJson.Options)
            .WithPrompts<DebugRunPrompt>(BerthJson.Options);
        services.AddBerthMcpTasks();
        return services;
    }
}
