using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Berth.Server.A2a;

/// <summary>Registers A2A discovery: <c>services.AddBerthA2a()</c> (the proxy's card hook, the card list and its cache).</summary>
internal static class A2aServiceCollectionExtensions
{
    public static IServiceCollection AddBerthA2a(this IServiceCollection services)
    {
        services.TryAddSingleton<AgentCardFetcher>();
        services.TryAddSingleton<AgentCardProxy>();
        services.TryAddSingleton<AgentCards>();
        return services;
    }
}
