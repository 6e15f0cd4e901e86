using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Berth.Server.Mcp.Gateway;

/// <summary>Registers the MCP gateway: its catalog of MCP agents (a hosted service that follows the proxy's routes), clients and handlers.</summary>
internal static class GatewayServiceCollectionExtensions
{
    public static IServiceCollection AddMcpGateway(this IServiceCollection services)
    {
        services.TryAddSingleton<GatewaySessions>();
        services.TryAddSingleton<GatewayClients>();
        services.TryAddSingleton<GatewayToolReader>();
        services.TryAddSingleton<GatewayCatalog>();
        services.TryAddSingleton<GatewayAccess>();
        services.TryAddSingleton<GatewayAudit>();
        services.TryAddSingleton<GatewayCaller>();
        services.TryAddSingleton<GatewayHandlers>();
        services.AddHostedService(sp => sp.GetRequiredService<GatewayCatalog>());
        return services;
    }
}
