using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Berth.Server.Capabilities;

/// <summary>Registers the capability registry and router: <c>services.AddBerthCapabilities()</c>.</summary>
internal static class CapabilitiesServiceCollectionExtensions
{
    public static IServiceCollection AddBerthCapabilities(this IServiceCollection services)
    {
        services.TryAddSingleton<CapabilityRegistry>();
        services.TryAddSingleton<CapabilityRouter>();
        services.TryAddSingleton<CapabilityForwarder>();
        return services;
    }
}
