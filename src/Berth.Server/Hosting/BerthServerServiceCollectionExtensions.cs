using Berth.Core.Serialization;
using Berth.Core.Storage;
using Berth.Runtime.Docker.Runtime;
using Berth.Runtime.Docker.Swarm;
using Berth.Runtime.Process;
using Berth.Server.A2a;
using Berth.Server.Agents;
using Berth.Server.Audit;
using Berth.Server.Capabilities;
using Berth.Server.Cluster;
using Berth.Server.Hosting.Settings;
using Berth.Server.Limits;
using Berth.Server.Llm;
using Berth.Server.Mcp;
using Berth.Server.Messaging;
using Berth.Server.Observability;
using Berth.Server.Plugins;
using Berth.Server.Proxy;
using Berth.Server.RateLimiting;
using Berth.Server.Reconciliation;
using Berth.Server.Requests;
using Berth.Server.Runtimes;
using Berth.Server.Secrets;
using Berth.Server.Security;
using Berth.Server.Workflows;
using Berth.Storage;
using Berth.Storage.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Berth.Server.Hosting;

/// <summary>Registers everything the Berth server needs: <c>services.AddBerthServer(configuration)</c>.</summary>
public static class BerthServerServiceCollectionExtensions
{
    /// <summary>
    /// Adds the store, the runtime drivers the configuration asks for, the reconciler, the API and the proxy. Settings are bound
    /// and validated at start; nothing is read from or written to the data directory until then.
    /// </summary>
    public static IServiceCollection AddBerthServer(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(BerthOptions.Section);

        // Read now only to choose what to register; the options the services see are bound and validated at start.
        var settings = SettingsBinding.Bind(section, new BerthOptions());
        services.AddOptions<BerthOptions>().BindSettings(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BerthOptions>, BerthOptionsValidator>());
        services.AddOptions<RequestLimits>().BindSettings(configuration.GetSection(RequestLimits.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RequestLimits>, RequestLimitsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        if (string.IsNullOrEmpty(settings.Store))
        {
            services.AddSqliteStore(settings.DatabasePath);
        }
        else if (PostgresLocation.IsPostgres(settings.Store))
        {
            services.AddPostgresStore(settings.Store);
        }
        else
        {
            throw new ArgumentException(
                "Berth:Store (--store, BERTH_STORE) must be a PostgreSQL URL like postgres://USER:PASSWORD@HOST:5432/DATABASE, " +
                "or unset for the SQLite file in the data directory.");
        }

        services.TryAddSingleton<StoreIdentityCheck>();
        services.TryAddSingleton(sp => DataDirectoryLock.Acquire(
            sp.GetRequiredService<IOptions<BerthOptions>>().Value.DataDir, "stop it first, or give this server a --data-dir of its own"));

        // Read, or created, the first time start-up needs it (after the data directory is made owner-only), never while registering.
        services.TryAddSingleton(sp => ServerIdentity.LoadOrCreate(sp.GetRequiredService<IOptions<BerthOptions>>().Value.DataDir));
        services.TryAddSingleton(sp => AgentPlaces.For(
            sp.GetRequiredService<IOptions<BerthOptions>>().Value, sp.GetRequiredService<ServerId>(), sp.GetRequiredService<StoreIdentityCheck>()));
        services.AddOptions<ProcessRuntimeOptions>().BindSettings(section.GetSection("Process"))
            .Configure<IOptions<BerthOptions>, AgentPlaces>((o, berth, places) =>
            {
                var server = berth.Value;
                o.StateDirectory = places.ProcessState;
                o.SharedStateDirectory = places.Shared;
                o.FilesDirectory = places.Files;
                o.AgentsDirectory = string.IsNullOrEmpty(o.AgentsDirectory) ? places.Agents : o.AgentsDirectory;
                o.HiddenDirectories.Add(server.DataDir);
            });
        services.AddProcessRuntime();
        if (settings.Runtime != RuntimeMode.Process)
        {
            services.AddOptions<DockerRuntimeOptions>().BindSettings(section.GetSection("Docker"))
                .Configure<IOptions<BerthOptions>, IOptions<ProcessRuntimeOptions>, AgentPlaces>((o, berth, process, places) =>
                {
                    o.OwnerId = places.Owner;
                    o.DataDirectory = berth.Value.DataDir;
                    o.FilesDirectory = places.Files;
                    o.AgentsDirectory = process.Value.AgentsDirectory;
                });
            if (settings.Runtime == RuntimeMode.Swarm)
            {
                services.AddOptions<SwarmRuntimeOptions>().BindSettings(section.GetSection("Swarm"));
                services.AddSwarmRuntime();
            }
            else
            {
                services.AddDockerRuntime();
            }
        }

        services.TryAddSingleton<RuntimeCatalog>();
        services.TryAddSingleton<InstanceDirectory>();
        services.TryAddSingleton<ReconcileSignal>();
        services.AddReconciler();
        services.TryAddSingleton<IHealthProbe, NetworkHealthProbe>();
        // No logging handlers: ~50 probes a second at 500 agents, each would open log scopes that nothing writes (the
        // HttpClient categories log at Warning); a failing probe is reported by the reconciler instead.
        services.AddHttpClient(NetworkHealthProbe.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false })
            .RemoveAllLoggers();
        services.TryAddSingleton<Leadership>();
        services.AddHostedService(sp => sp.GetRequiredService<Leadership>());
        services.AddHostedService<ReconcilerService>();
        services.TryAddSingleton<HostVolumeGuard>();
        services.TryAddSingleton<AgentApplyChecks>();
        services.TryAddSingleton<AgentChanges>();
        services.TryAddSingleton<AgentCommands>();
        services.TryAddSingleton<AgentHealthCheck>();
        services.TryAddSingleton<SpecApplier>();
        services.TryAddSingleton<AgentConnections>();
        services.TryAddSingleton<AgentForwarder>();
        services.TryAddSingleton<InProcessProxy>();
        services.TryAddSingleton<ProxyTraffic>();
        services.AddHttpForwarder();
        services.AddBerthRequests();
        services.AddBerthWorkflows();
        services.AddBerthPlugins(configuration);
        services.AddBerthMessaging(configuration);
        services.AddBerthA2a();
        services.TryAddSingleton<Images.ImageBuilds>();
        services.AddBerthCapabilities();
        services.AddBerthLlmGateway();
        Exec.ExecServiceCollectionExtensions.AddBerthExec(services, configuration);

        services.AddBerthSecurity();
        services.AddBerthSecrets(settings.DataDir);
        services.AddBerthAudit(configuration);
        services.AddBerthRateLimiting(configuration);
        services.AddBerthMcp(configuration);
        services.AddBerthTelemetry(configuration);
        services.AddProblemDetails();
        services.TryAddSingleton<Health.DataDisk>();
        services.AddExceptionHandler<Problems.StorageFullHandler>();
        services.AddOpenApi(BearerSecurityDocument.Configure);
        services.ConfigureHttpJsonOptions(o => BerthJson.Configure(o.SerializerOptions));
        return services;
    }
}
