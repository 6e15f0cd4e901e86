using System.Globalization;
using Berth.Core.Specs;
using Berth.Runtime.Docker.Runtime;
using Berth.Runtime.Process;
using Berth.Server.Audit;
using Berth.Server.Hosting;
using Berth.Server.Limits;
using Berth.Server.RateLimiting;
using Berth.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Berth.Server.Tests.Hosting;

/// <summary>
/// One server started with every setting the docs name set through configuration to a value other than its default,
/// durations written both as operators write them in specs (<c>45s</c>) and as TimeSpans (<c>00:00:04</c>).
/// </summary>
public sealed class ConfiguredServerFixture : IAsyncLifetime
{
    private static readonly string Unique = Guid.NewGuid().ToString("N")[..12];
    private static readonly string DataDir = Path.Combine(Path.GetTempPath(), $"berth-cfg-{Unique}");
    private static readonly string AgentsDir = Path.Combine(Path.GetTempPath(), $"berth-cfg-agents-{Unique}");
    private static readonly string FilesDir = $"/dev/shm/berth-cfg-{Unique}";
    private static readonly string PluginsDir = Path.Combine(Path.GetTempPath(), $"berth-cfg-plugins-{Unique}");
    private static readonly string Socket = Path.Combine(Path.GetTempPath(), $"berth-cfg-{Unique}.sock");

    private BerthServer? _server;

    /// <summary>Every setting this fixture sets, with the value the server must end up using.</summary>
    internal static IReadOnlyList<DocumentedSetting> Settings { get; } =
    [
        new("Berth:DataDir", DataDir, DataDir, sp => Berth(sp).DataDir),
        new("Berth:FilesDirectory", FilesDir, FilesDir, sp => Process(sp).FilesDirectory),
        new("Berth:Reconciler:Interval", "300ms", "300ms", sp => Berth(sp).Reconciler.Interval),
        new("Berth:Reconciler:StopGrace", "00:00:04", "4s", sp => Berth(sp).Reconciler.StopGrace),
        new("Berth:Leader:LeaseDuration", "12s", "12s", sp => Berth(sp).Leader.LeaseDuration),
        new("Berth:Leader:RenewInterval", "3s", "3s", sp => Berth(sp).Leader.RenewInterval),
        new("Berth:Requests:DefaultWait", "20s", "20s", sp => Berth(sp).Requests.DefaultWait),
        new("Berth:Requests:MaxWait", "2m", "2m", sp => Berth(sp).Requests.MaxWait),
        new("Berth:Requests:MaxStoredResponseBytes", "4096", "4096", sp => Berth(sp).Requests.MaxStoredResponseBytes),
        new("Berth:Requests:MaxDurableBodyBytes", "1048576", "1048576", sp => Berth(sp).Requests.MaxDurableBodyBytes),
        new("Berth:Requests:ReplayConcurrency", "3", "3", sp => Berth(sp).Requests.ReplayConcurrency),
        new("Berth:Workflows:MaxForEachItems", "50", "50", sp => Berth(sp).Workflows.MaxForEachItems),
        new("Berth:Workflows:MaxChildDepth", "3", "3", sp => Berth(sp).Workflows.MaxChildDepth),
        new("Berth:Workflows:MaxActiveRuns", "7", "7", sp => Berth(sp).Workflows.MaxActiveRuns),
        new("Berth:Workflows:CircuitBreaker:Failures", "4", "4", sp => Berth(sp).Workflows.CircuitBreaker.Failures),
        new("Berth:Workflows:CircuitBreaker:Window", "1m30s", "1m30s", sp => Berth(sp).Workflows.CircuitBreaker.Window),
        new("Berth:Workflows:CircuitBreaker:BreakDuration", "00:00:20", "20s", sp => Berth(sp).Workflows.CircuitBreaker.BreakDuration),
        new("Berth:Secrets:ReplaceLostKey", "true", "true", sp => Berth(sp).Secrets.ReplaceLostKey),
        new("Berth:Docker:Socket", Socket, Socket, sp => Docker(sp).Socket),
        new("Berth:Docker:NetworkPrefix", "cfg-", "cfg-", sp => Docker(sp).NetworkPrefix),
        new("Berth:Docker:StopGrace", "45s", "45s", sp => Docker(sp).StopGrace),
        new("Berth:Docker:AgentSubnets", "10.214.0.0/20", "10.214.0.0/20", sp => Docker(sp).AgentSubnets),
        new("Berth:Docker:AgentSubnetPrefix", "28", "28", sp => Docker(sp).AgentSubnetPrefix),
        new("Berth:Process:Isolation", "none", "none", sp => Process(sp).Isolation),
        new("Berth:Process:AgentsDirectory", AgentsDir, AgentsDir, sp => Process(sp).AgentsDirectory),
        new("Berth:Process:AgentUserBase", "1800000000", "1800000000", sp => Process(sp).AgentUserBase),
        new("Berth:Process:AgentUserCount", "5000", "5000", sp => Process(sp).AgentUserCount),
        new("Berth:Process:LogMaxBytes", "2048", "2048", sp => Process(sp).LogMaxBytes),
        new("Berth:Process:LogMaxFiles", "5", "5", sp => Process(sp).LogMaxFiles),
        new("Berth:Process:StopGrace", "3s", "3s", sp => Process(sp).StopGrace),
        new("Berth:Mcp:GatewayCallTimeout", "1m30s", "1m30s", sp => Value<Berth.Server.Mcp.McpSettings>(sp).GatewayCallTimeout),
        new("Berth:Mcp:AllowedHosts", "berth.example.org, berth", "berth.example.org, berth", sp => Value<Berth.Server.Mcp.McpSettings>(sp).AllowedHosts),
        new("Berth:RateLimit:Enabled", "false", "false", sp => Value<RateLimitSettings>(sp).Enabled),
        new("Berth:RateLimit:RequestsPerSecond", "1000", "1000", sp => Value<RateLimitSettings>(sp).RequestsPerSecond),
        new("Berth:RateLimit:Burst", "2000", "2000", sp => Value<RateLimitSettings>(sp).Burst),
        new("Berth:RateLimit:BytesPerSecond", "1234567", "1234567", sp => Value<RateLimitSettings>(sp).BytesPerSecond),
        new("Berth:RateLimit:BytesBurst", "7654321", "7654321", sp => Value<RateLimitSettings>(sp).BytesBurst),
        new("Berth:Audit:RetentionDays", "30", "30", sp => Value<AuditSettings>(sp).RetentionDays),
        new("Berth:Exec:IdleTimeout", "7m", "7m", sp => Value<Berth.Server.Exec.ExecSettings>(sp).IdleTimeout),
        new("Berth:Telemetry:Metrics", "false", "false", sp => Value<Berth.Server.Observability.TelemetryOptions>(sp).Metrics),
        new("Berth:Telemetry:Tracing", "true", "true", sp => Value<Berth.Server.Observability.TelemetryOptions>(sp).Tracing),
        new("Berth:LogFormat", "json", "json", sp => sp.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName),
        new("Berth:Limits:MaxRequestBodyBytes", "2097152", "2097152", sp => Value<RequestLimits>(sp).MaxRequestBodyBytes),
        new("Berth:Plugins:Directory", PluginsDir, PluginsDir, sp => Value<Berth.Server.Plugins.PluginOptions>(sp).Directory),
        new("Berth:Plugins:MaxPackageBytes", "1048576", "1048576", sp => Value<Berth.Server.Plugins.PluginOptions>(sp).MaxPackageBytes),
        new("Berth:Plugins:MaxUnpackedBytes", "2097152", "2097152", sp => Value<Berth.Server.Plugins.PluginOptions>(sp).MaxUnpackedBytes),
        new("Berth:Plugins:MaxFiles", "99", "99", sp => Value<Berth.Server.Plugins.PluginOptions>(sp).MaxFiles),
        new("Berth:Plugins:CheckTimeout", "90s", "1m30s", sp => Value<Berth.Server.Plugins.PluginOptions>(sp).CheckTimeout),
        new("Berth:Plugins:MaxPayloadBytes", "65536", "65536", sp => Value<Berth.Server.Plugins.PluginOptions>(sp).MaxPayloadBytes),
        new("Berth:Plugins:InvocationRetentionDays", "7", "7", sp => Value<Berth.Server.Plugins.PluginOptions>(sp).InvocationRetentionDays),
        new("Berth:Messaging:MaxWait", "45s", "45s", sp => Value<Berth.Server.Messaging.MessagingOptions>(sp).MaxWait),
        new("Berth:Messaging:PushTimeout", "7s", "7s", sp => Value<Berth.Server.Messaging.MessagingOptions>(sp).PushTimeout),
        new("Berth:Messaging:MaxReplyWait", "2m", "2m", sp => Value<Berth.Server.Messaging.MessagingOptions>(sp).MaxReplyWait),

        // The RabbitMQ settings are bound and checked whichever backend runs; this server keeps the embedded one.
        new("Berth:Messaging:RabbitMq:OperationTimeout", "4s", "4s", sp => Value<Berth.Messaging.RabbitMq.RabbitMqOptions>(sp).OperationTimeout),
        new("Berth:Messaging:RabbitMq:RetakeHeldAfter", "5m", "5m", sp => Value<Berth.Messaging.RabbitMq.RabbitMqOptions>(sp).RetakeHeldAfter),
        new("Berth:Messaging:RabbitMq:MaxHeldPerSubscription", "500", "500", sp => Value<Berth.Messaging.RabbitMq.RabbitMqOptions>(sp).MaxHeldPerSubscription),
    ];

    /// <summary>Settings the docs name that other tests set through configuration, with where.</summary>
    internal static IReadOnlyDictionary<string, string> CoveredElsewhere { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Berth:Runtime"] = "Api/ServerStartTests (--runtime process, an unknown runtime)",
        ["Berth:Store"] = "Api/ServerStartTests (bad and unreachable stores) and every test server under BERTH_TEST_STORE=postgres (--store)",
        ["Berth:Tls:Certificate"] = "Transport/TlsServerTests (--tls-cert)",
        ["Berth:Tls:Key"] = "Transport/TlsServerTests (--tls-key)",
        ["Berth:Tls:Password"] = "Transport/TlsServerTests (--Berth:Tls:Password)",
        ["Berth:Messaging:Backend"] = "Messaging/RabbitMqMessagingServer (--Berth:Messaging:Backend=rabbitmq)",
        ["Berth:Messaging:RabbitMq:Url"] = "Messaging/RabbitMqMessagingServer (--Berth:Messaging:RabbitMq:Url)",
        ["Berth:Swarm"] = "Docker/SwarmAgentTests (a server with --runtime swarm binds the section)",
        ["Berth:Swarm:RelayImage"] = "Docker/SwarmAgentTests (--Berth:Swarm:RelayImage, the test busybox image)",
    };

    internal IServiceProvider Services => _server?.Services ?? throw new InvalidOperationException("the server has not started");

    /// <summary>How a value the server uses reads in the docs: durations as <c>30s</c>, enums and booleans in lower case.</summary>
    internal static string Display(object? value) => value switch
    {
        TimeSpan duration => Duration.Format(duration),
        bool flag => flag ? "true" : "false",
        Enum member => member.ToString().ToLowerInvariant(),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "",
    };

    public async Task InitializeAsync()
    {
        string[] args = ["--urls", "http://127.0.0.1:0", .. Settings.Select(s => $"--{s.Key}={s.Value}")];
        _server = await BerthServer.StartAsync(args, TestTimeouts.Token());
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        foreach (var directory in (string[])[DataDir, AgentsDir, FilesDir, PluginsDir])
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static BerthOptions Berth(IServiceProvider services) => Value<BerthOptions>(services);

    private static ProcessRuntimeOptions Process(IServiceProvider services) => Value<ProcessRuntimeOptions>(services);

    private static DockerRuntimeOptions Docker(IServiceProvider services) => Value<DockerRuntimeOptions>(services);

    private static T Value<T>(IServiceProvider services)
        where T : class => services.GetRequiredService<IOptions<T>>().Value;
}
