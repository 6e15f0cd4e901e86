using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Berth.Server.Reconciliation;

/// <summary>Registers the reconciler and its parts (not the background service that runs it).</summary>
internal static class ReconciliationServiceCollectionExtensions
{
    public static IServiceCollection AddReconciler(this IServiceCollection services)
    {
        services.TryAddSingleton<InstanceDirectory>();
        services.TryAddSingleton<ReconcileSignal>();
        services.TryAddSingleton<IHealthProbe, NetworkHealthProbe>();
        services.TryAddSingleton<InstanceTrackers>();
        services.TryAddSingleton<Agents.AgentChanges>();
        services.TryAddSingleton<InstanceRecorder>();
        services.TryAddSingleton<InstanceExits>();
        services.TryAddSingleton<InstanceProber>();
        services.TryAddSingleton<InstanceLauncher>();
        services.TryAddSingleton<InstanceRemovals>();
        services.TryAddSingleton<RuntimeObserver>();
        services.TryAddSingleton<AgentReconciler>();
        services.TryAddSingleton<Plugins.PluginPoolScale>();
        services.TryAddSingleton<Reconciler>();
        return services;
    }
}
