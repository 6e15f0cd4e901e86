using Berth.Core.Agents;
using Berth.Core.Runtime;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Server.Hosting;
using Berth.Server.Reconciliation;
using Berth.Server.Runtimes;
using Berth.Server.Secrets;
using Berth.Server.Security;
using Berth.Server.Tests.Fakes;
using Berth.Storage;
using Berth.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Server.Tests.Reconciliation;

/// <summary>A reconciler over a real SQLite file, an in-memory runtime, a scripted probe and a fake clock.</summary>
internal sealed class ReconcilerHarness : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"berth-rec-{Guid.NewGuid():N}");
    private readonly ServiceProvider _services;

    private ReconcilerHarness(IAgentRuntime? runtime, ILoggerProvider? logs)
    {
        Directory.CreateDirectory(_directory);
        Runtime = new InMemoryRuntime(Clock);
        var services = new ServiceCollection();
        services.AddLogging(builder =>
        {
            if (logs is not null)
            {
                builder.AddProvider(logs);
            }
        });
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSqliteStore(Path.Combine(_directory, "berth.db"));
        services.AddSingleton(runtime ?? Runtime);
        services.AddSingleton<IHealthProbe>(Probe);
        services.AddSingleton(Options.Create(new BerthOptions { DataDir = _directory, Runtime = RuntimeMode.Process }));
        services.AddSingleton<RuntimeCatalog>();
        services.AddSingleton<InstanceDirectory>();
        services.AddReconciler();
        services.AddBerthSecrets(_directory);
        services.AddBerthSecurity();
        _services = services.BuildServiceProvider();
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>The in-memory driver; the reconciler uses it unless the harness was created with another.</summary>
    public InMemoryRuntime Runtime { get; }

    /// <summary>Every service the reconciler was built from, for tests that need more than the shortcuts here.</summary>
    public IServiceProvider Services => _services;

    public ScriptedProbe Probe { get; } = new();

    public IAgentStore Agents => _services.GetRequiredService<IAgentStore>();

    public InstanceDirectory Routes => _services.GetRequiredService<InstanceDirectory>();

    public static async Task<ReconcilerHarness> CreateAsync(IAgentRuntime? runtime = null, ILoggerProvider? logs = null)
    {
        var harness = new ReconcilerHarness(runtime, logs);
        await harness._services.GetRequiredService<IStoreInitializer>().InitializeAsync(TestTimeouts.Token(TestTimeouts.Quick));
        await harness._services.GetRequiredService<SecretVault>().LoadAsync(TestTimeouts.Token(TestTimeouts.Quick));
        return harness;
    }

    public static AgentSpec Spec(string name = "echo", int replicas = 1) => new()
    {
        Name = name,
        Process = new ProcessSpec { Command = "/bin/true" },
        Replicas = replicas,
    };

    public Task<ApplyResult> ApplyAsync(AgentSpec spec) => Agents.ApplyAsync(spec, TestTimeouts.Token(TestTimeouts.Quick));

    public Task PassAsync() => _services.GetRequiredService<Reconciler>().ReconcileOnceAsync(TestTimeouts.Token(TestTimeouts.Quick));

    /// <summary>Runs passes, moving the clock by <paramref name="step"/> after each, <paramref name="count"/> times.</summary>
    public async Task PassesAsync(int count, TimeSpan step)
    {
        for (var i = 0; i < count; i++)
        {
            await PassAsync();
            Clock.Advance(step);
        }
    }

    public async Task<IReadOnlyList<InstanceRecord>> InstancesAsync(string agent = "echo") =>
        await _services.GetRequiredService<IInstanceStore>().ListAsync(agent, TestTimeouts.Token(TestTimeouts.Quick));

    public async Task<InstanceRecord> SingleAsync(string agent = "echo") => (await InstancesAsync(agent)).ShouldHaveSingleItem();

    public async Task<IReadOnlyList<AgentEvent>> EventsAsync(string agent = "echo") =>
        await _services.GetRequiredService<IEventStore>().ListAsync(agent, 0, 1000, TestTimeouts.Token(TestTimeouts.Quick));

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
