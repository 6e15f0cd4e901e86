using System.Security.Cryptography.X509Certificates;
using Berth.Core.Storage;
using Berth.Server.Hosting;
using Berth.Server.Hosting.Tls;
using Berth.Server.Reconciliation;
using Berth.Server.Runtimes;
using Berth.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Berth.Server;

/// <summary>
/// The Berth server, hosted in-process: <c>berth server</c> runs it, and so do the tests.
/// Agents keep running when the server stops; the next start re-adopts them.
/// </summary>
public sealed class BerthServer : IAsyncDisposable
{
    private static readonly Dictionary<string, string> SwitchMappings = new(StringComparer.Ordinal)
    {
        ["--data-dir"] = "Berth:DataDir",
        ["--runtime"] = "Berth:Runtime",
        ["--store"] = "Berth:Store",
        ["--urls"] = "urls",
        ["--tls-cert"] = "Berth:Tls:Certificate",
        ["--tls-key"] = "Berth:Tls:Key",
        ["--log-format"] = ConsoleLogFormat.Key,
    };

    private static readonly Dictionary<string, string> EnvironmentMappings = new(StringComparer.Ordinal)
    {
        ["BERTH_DATA_DIR"] = "Berth:DataDir",
        ["BERTH_RUNTIME"] = "Berth:Runtime",
        ["BERTH_STORE"] = "Berth:Store",
        ["BERTH_URLS"] = "urls",
        ["BERTH_TLS_CERT"] = "Berth:Tls:Certificate",
        ["BERTH_TLS_KEY"] = "Berth:Tls:Key",
        ["BERTH_TLS_PASSWORD"] = "Berth:Tls:Password",
        ["BERTH_LOG_FORMAT"] = ConsoleLogFormat.Key,
    };

    /// <summary>
    /// Log levels unless the operator sets others (<c>--Logging:LogLevel:Microsoft.AspNetCore Information</c>): ASP.NET Core and
    /// HttpClient (and YARP's forwarder) write several lines per request at Information, which on a busy proxy costs more than the forwarding itself.
    /// </summary>
    private static readonly Dictionary<string, string?> DefaultLogLevels = new(StringComparer.Ordinal)
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
        ["Logging:LogLevel:Yarp"] = "Warning",
    };

    private readonly WebApplication _app;

    private BerthServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The first address the server listens on, for example <c>http://127.0.0.1:2378/</c>.</summary>
    public Uri Address { get; }

    /// <summary>The server's data directory.</summary>
    public string DataDirectory => _app.Services.GetRequiredService<IOptions<BerthOptions>>().Value.DataDir;

    /// <summary>Warnings for the operator about how the server is exposed (plain HTTP reachable from other machines); empty when all is well.</summary>
    public IReadOnlyList<string> Warnings => _app.Services.GetRequiredService<TransportSecurity>().Warnings;

    /// <summary>The server's TLS certificate (<c>Berth:Tls:Certificate</c>); null when it speaks plain HTTP.</summary>
    public X509Certificate2? Certificate => _app.Services.GetRequiredService<TransportSecurity>().Certificate?.Leaf;

    /// <summary>The server's services, for tests and embedding.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Builds and starts the server. <paramref name="args"/> are configuration arguments:
    /// <c>--urls</c>, <c>--data-dir</c>, <c>--runtime auto|docker|swarm|process</c>, <c>--store postgres://…</c>, <c>--tls-cert</c>, <c>--tls-key</c>,
    /// or any <c>--Berth:Key=value</c>. The environment may set <c>BERTH_URLS</c>, <c>BERTH_DATA_DIR</c>, <c>BERTH_RUNTIME</c>,
    /// <c>BERTH_STORE</c> and <c>BERTH_TLS_CERT|KEY|PASSWORD</c>; arguments win.
    /// </summary>
    public static Task<BerthServer> StartAsync(string[] args, CancellationToken cancellationToken) =>
        StartAsync(args, configureServices: null, cancellationToken);

    /// <summary>
    /// As <see cref="StartAsync(string[], CancellationToken)"/>, with <paramref name="configureServices"/> run after the server's own
    /// registrations, so what it registers wins (tests give a part of the server a fake clock this way).
    /// </summary>
    internal static async Task<BerthServer> StartAsync(string[] args, Action<IServiceCollection>? configureServices, CancellationToken cancellationToken)
    {
        WebApplication app;
        try
        {
            app = Build(args, configureServices);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException)
        {
            throw new BerthServerStartException($"The server's settings are invalid: {ex.Message}", ex);
        }

        try
        {
            await PrepareAsync(app.Services, cancellationToken);
            await app.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (Explain(ex, app) is { } reason)
        {
            await app.DisposeAsync();
            throw new BerthServerStartException(reason, ex);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        return new BerthServer(app, new Uri(addresses.First().Replace("//[::]", "//127.0.0.1", StringComparison.Ordinal).Replace("//0.0.0.0", "//127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/"));
    }

    /// <summary>Completes when the server shuts down (Ctrl+C, SIGTERM or <see cref="StopAsync"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops accepting requests and stops the background services. Agents keep running.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _app.StopAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }

    private static async Task PrepareAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        DataDirectoryPermissions.Tighten(
            services.GetRequiredService<IOptions<BerthOptions>>().Value.DataDir,
            services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>().CreateLogger(typeof(DataDirectoryPermissions).FullName!));
        try
        {
            // Held until the server stops (the container disposes it); the kernel drops it if the process dies.
            services.GetRequiredService<DataDirectoryLock>();
        }
        catch (IOException e)
        {
            throw new BerthServerStartException(e.Message);
        }

        await services.GetRequiredService<IStoreInitializer>().InitializeAsync(cancellationToken);
        await services.GetRequiredService<StoreIdentityCheck>().EnsureAsync(cancellationToken);
        await services.GetRequiredService<Security.AdminTokenBootstrap>().EnsureAsync(cancellationToken);
        await services.GetRequiredService<Secrets.SecretVault>().LoadAsync(cancellationToken);
        var runtimes = services.GetRequiredService<RuntimeCatalog>();
        await runtimes.RefreshAsync(TimeSpan.FromSeconds(5), cancellationToken);
        if (services.GetRequiredService<IOptions<BerthOptions>>().Value.Runtime is RuntimeMode.Docker or RuntimeMode.Swarm &&
            runtimes.For(Core.Specs.AgentKind.Container) is null)
        {
            throw new BerthServerStartException(
                $"--runtime {runtimes.Configured(Core.Specs.AgentKind.Container)?.Name} needs a Docker engine (a swarm manager for swarm), and {runtimes.Explain(Core.Specs.AgentKind.Container)}; start dockerd (and 'docker swarm init' for swarm), or run with --runtime auto");
        }

        // One pass before listening: agents that kept running while the server was down are probed
        // and routed at once, so the proxy does not answer 503 for agents the API reports running.
        // A server that shares its database with a leader only mirrors the routes the leader stored.
        var leads = await services.GetRequiredService<Cluster.Leadership>().TryLeadAsync(cancellationToken);
        await services.GetRequiredService<Reconciler>().PassAsync(leads, cancellationToken);
    }

    /// <summary>A sentence for the operator when start-up fails for a reason they can fix; null for anything else.</summary>
    private static string? Explain(Exception exception, WebApplication app) => exception switch
    {
        BerthServerStartException => exception.Message,
        OptionsValidationException options => $"The server's settings are invalid: {string.Join("; ", options.Failures)}",

        // ValidateOnStart reports every invalid options type at once.
        AggregateException all when all.InnerExceptions.All(e => e is OptionsValidationException) =>
            $"The server's settings are invalid: {string.Join("; ", all.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures))}",
        IOException { InnerException: AddressInUseException } =>
            $"Cannot listen on {string.Join(", ", app.Urls)}: the address is in use. Is another berth server running? Pass --urls to pick another address.",
        IOException or UnauthorizedAccessException or InvalidOperationException => $"The server could not start: {exception.Message}",
        _ => null,
    };

    private static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices)
    {
        // The content root is the binary's directory, not the current one: a stray appsettings.json wherever `berth server`
        // happens to be started must not change the server's settings.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = DefaultLogLevels });
        builder.Configuration.AddInMemoryCollection(
            EnvironmentMappings
                .Select(m => KeyValuePair.Create(m.Value, Environment.GetEnvironmentVariable(m.Key)))
                .Where(m => !string.IsNullOrEmpty(m.Value)));
        builder.Configuration.AddCommandLine(args, SwitchMappings);
        var dataDir = builder.Configuration["Berth:DataDir"];
        if (!string.IsNullOrEmpty(dataDir))
        {
            builder.Configuration["Berth:DataDir"] = Path.GetFullPath(ExpandHome(dataDir));
        }

        ConsoleLogFormat.Configure(builder.Logging, builder.Configuration);
        TransportSecurity.Configure(builder);
        builder.Services.AddBerthServer(builder.Configuration);
        configureServices?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapBerth();
        return app;
    }

    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.TrimStart('~').TrimStart('/'))
            : path;
}
