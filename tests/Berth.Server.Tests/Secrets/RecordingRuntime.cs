using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Berth.Core.Runtime;
using Berth.Core.Specs;

namespace Berth.Server.Tests.Secrets;

/// <summary>A driver that records every launch and then refuses it with a config error that repeats the launch's API_KEY, as a careless driver might.</summary>
internal sealed class RecordingRuntime : IAgentRuntime
{
    public ConcurrentQueue<InstanceLaunch> Launches { get; } = new();

    public string Name => "process";

    public bool Supports(AgentKind kind) => true;

    public Task PrepareAsync(AgentSpec spec, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<RuntimeInstance> StartAsync(InstanceLaunch launch, CancellationToken cancellationToken)
    {
        Launches.Enqueue(launch);
        throw new RuntimeException($"the driver rejected API_KEY={launch.Environment.GetValueOrDefault("API_KEY")}", RuntimeErrorKind.Config);
    }

    public Task StopAsync(string instanceId, TimeSpan gracePeriod, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RemoveAsync(string instanceId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<RuntimeInstance>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<RuntimeInstance>>([]);

    public async IAsyncEnumerable<LogEntry> ReadLogsAsync(string instanceId, LogQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        yield break;
    }

    public Task<InstanceStats?> GetStatsAsync(string instanceId, CancellationToken cancellationToken) => Task.FromResult<InstanceStats?>(null);

    public Task RemoveAgentResourcesAsync(string agentName, CancellationToken cancellationToken) => Task.CompletedTask;
}
