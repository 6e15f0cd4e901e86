using Berth.Core.Serialization;
using Berth.Runtime.Docker.Runtime;
using Berth.Runtime.Process;
using Berth.Server.Agents;
using Berth.Server.Audit;
using Berth.Server.Proxy;
using Berth.Server.RateLimiting;
using Berth.Server.Reconciliation;
using Berth.Server.Requests;
using Berth.Server.Runtimes;
using Berth.Server.Secrets;
using Berth.Server.Security;
using Berth.Server.Workflows;
using Berth.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Berth.Server.Hosting;

/// <summary>Registers everything the Berth server needs: <c>services.AddBerthServer(configuration)</c>.</summary>
public static class BerthServerServiceCollectionExtensions
{
    /// <summary>Adds the store, the runtime drivers the configuration asks for, the reconciler, the API and the proxy.</summary>
    public static IServiceCollection AddBerthServer(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(BerthOptions.Section);
        var settings = section.Get<BerthOptions>() ?? new BerthOptions();
        services.AddOptions<BerthOptions>().Bind(section).Validate(o => Path.IsPathFullyQualified(o.DataDir), "Berth:DataDir must be an absolute path")
            .Validate(o => o.Reconciler.Interval > TimeSpan.Zero, "Berth:Reconciler:Interval must be a positive duration")
            .Validate(o => o.Requests.DefaultWait >= TimeSpan.Zero && o.Requests.DefaultWait <= o.Requests.MaxWait, "Berth:Requests:DefaultWait must be between 0s and Berth:Requests:MaxWait")
            .Validate(o => o.Requests.MaxStoredResponseBytes >= 0, "Berth:Requests:MaxStoredResponseBytes must be 0 or more")
            .Validate(o => o.Requests.ReplayConcurrency >= 1, "Berth:Requests:ReplayConcurrency must be at least 1")
            .Validate(o => o.Workflows.MaxForEachItems >= 1, "Berth:Workflows:MaxForEachItems must be at least 1")
            .Validate(o => o.Workflows.MaxChildDepth >= 1, "Berth:Workflows:MaxChildDepth must be at least 1")
            .Validate(o => o.Workflows.MaxActiveRuns >= 1, "Berth:Workflows:MaxActiveRuns must be at least 1")
            .Validate(o => o.Requests.MaxDurableBodyBytes >= 1, "Berth:Requests:MaxDurableBodyBytes must be a positive number of bytes")
            .Validate(o => o.FilesDirectory is null || Path.IsPathFullyQualified(o.FilesDirectory), "Berth:FilesDirectory must be an absolute path")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSqliteStore(settings.DatabasePath);
        var serverId = ServerIdentity.LoadOrCreate(settings.DataDir);
        var filesDirectory = settings.FilesDirectory ?? $"/dev/shm/berth-{serverId}";
        var agentsDirectory = section["Process:AgentsDirectory"] is { Length: > 0 } named ? named : DefaultAgentsDirectory(settings.DataDir, serverId);
        services.AddProcessRuntime(o =>
        {
            // Berth:Process:Isolation, AgentsDirectory, AgentUserBase, AgentUserCount, LogMaxBytes, LogMaxFiles, StopGrace
            section.GetSection("Process").Bind(o);
            o.StateDirectory = Path.Combine(settings.DataDir, "process");
            o.FilesDirectory = filesDirectory;
            o.AgentsDirectory = agentsDirectory;
            o.HiddenDirectories.Add(settings.DataDir);
        });
        if (settings.Runtime != RuntimeMode.Process)
        {
            services.AddDockerRuntime(o =>
            {
                o.OwnerId = serverId;
                o.DataDirectory = settings.DataDir;
                o.FilesDirectory = filesDirectory;
                o.AgentsDirectory = agentsDirectory;
                if (settings.Docker.Socket is { } socket)
                {
                    o.Socket = socket;
                }
            });
        }

        services.TryAddSingleton<RuntimeCatalog>();
        services.TryAddSingleton<InstanceDirectory>();
        services.TryAddSingleton<ReconcileSignal>();
        services.TryAddSingleton<Reconciler>();
        services.TryAddSingleton<IHealthProbe, NetworkHealthProbe>();
        services.AddHttpClient(NetworkHealthProbe.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false });
        services.AddHostedService<ReconcilerService>();
        services.TryAddSingleton<HostVolumeGuard>();
        services.TryAddSingleton<AgentCommands>();
        services.TryAddSingleton<AgentConnections>();
        services.TryAddSingleton<AgentForwarder>();
        services.AddBerthRequests(serverId);
        services.AddBerthWorkflows();

        services.AddBerthSecurity();
        services.AddBerthSecrets(settings.DataDir);
        services.AddBerthAudit(configuration);
        services.AddBerthRateLimiting(configuration);
        services.AddProblemDetails();
        services.TryAddSingleton<Health.DataDisk>();
        services.AddExceptionHandler<Problems.StorageFullHandler>();
        services.AddOpenApi();
        services.ConfigureHttpJsonOptions(o => BerthJson.Configure(o.SerializerOptions));
        return services;
    }

    // Outside the data directory, and somewhere an agent's uid can pass through (a root server's home is closed to it).
    private static string DefaultAgentsDirectory(string dataDir, string serverId) =>
        Core.Runtime.UnixFiles.EffectiveUserId == 0
            ? $"/var/lib/berth/agents/{serverId}"
            : $"{Path.TrimEndingDirectorySeparator(dataDir)}-agents";
}
