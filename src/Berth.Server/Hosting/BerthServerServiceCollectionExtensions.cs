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
            .Validate(o => o.Requests.MaxDurableBodyBytes >= 1, "Berth:Requests:MaxDurableBodyBytes must be a positive number of bytes")
            .Validate(o => o.FilesDirectory is null || Path.IsPathFullyQualified(o.FilesDirectory), "Berth:FilesDirectory must be an absolute path")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSqliteStore(settings.DatabasePath);
        var serverId = ServerIdentity.LoadOrCreate(settings.DataDir);
        var filesDirectory = settings.FilesDirectory ?? $"/dev/shm/berth-{serverId}";
        services.AddProcessRuntime(o =>
        {
            o.StateDirectory = Path.Combine(settings.DataDir, "process");
            o.FilesDirectory = filesDirectory;
        });
        if (settings.Runtime != RuntimeMode.Process)
        {
            services.AddDockerRuntime(o =>
            {
                o.OwnerId = serverId;
                o.DataDirectory = settings.DataDir;
                o.FilesDirectory = filesDirectory;
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
}
