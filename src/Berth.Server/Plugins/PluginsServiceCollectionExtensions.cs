using Berth.Server.Hosting;
using Berth.Server.Hosting.Settings;
using Berth.Server.Plugins.Contract;
using Berth.Server.Plugins.Execution;
using Berth.Server.Plugins.Api;
using Berth.Server.Plugins.Install;
using Berth.Server.Plugins.Pools;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Berth.Server.Plugins;

/// <summary>Registers the plugin registry: <c>services.AddBerthPlugins(configuration)</c>.</summary>
internal static class PluginsServiceCollectionExtensions
{
    public static IServiceCollection AddBerthPlugins(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PluginOptions>().BindSettings(configuration.GetSection(PluginOptions.Section))
            .Configure<IOptions<BerthOptions>, ServerId>((o, berth, serverId) =>
                o.Directory = string.IsNullOrEmpty(o.Directory) ? DefaultDirectory(berth.Value.DataDir, serverId) : o.Directory)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PluginOptions>, PluginOptionsValidator>());
        services.TryAddSingleton<PluginEndpointClient>();
        services.TryAddSingleton<PluginCatalog>();
        services.TryAddSingleton<PluginPools>();
        services.TryAddSingleton<PluginPackage>();
        services.TryAddSingleton<PluginCheckInstance>();
        services.TryAddSingleton<PluginContractCheck>();
        services.TryAddSingleton<PluginInstaller>();
        services.TryAddSingleton<PluginViews>();
        services.TryAddSingleton<PluginPoolLeases>();
        services.TryAddSingleton<PluginInvoker>();
        services.TryAddSingleton<PluginInvocationLog>();
        services.AddHostedService(sp => sp.GetRequiredService<PluginInvocationLog>());
        services.AddHostedService<PluginCheckSweeper>();
        services.AddHostedService<PluginInvocationRetention>();
        return services;
    }

    // Outside the data directory (process plugins run in their folder as an agent's uid, which must not reach the data).
    private static string DefaultDirectory(string dataDir, ServerId serverId) =>
        Core.Runtime.UnixFiles.EffectiveUserId == 0
            ? $"/var/lib/berth/plugins/{serverId.Value}"
            : $"{Path.TrimEndingDirectorySeparator(dataDir)}-plugins";
}
