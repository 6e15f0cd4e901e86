using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Berth.Core.Runtime;
using Berth.Core.Specs;

namespace Berth.Server.Tests.Fakes;

/// <summary>A runtime driver that keeps instances in memory and records every call, for fast reconciler tests.</summary>
internal sealed class InMemoryRuntime(TimeProvider time) : IAgentRuntime
{
    private readonly ConcurrentDictionary<string, RuntimeInstance> _instances = new();
    private int _nextPort = 40000;

    public string Name => "process";

    public ConcurrentQueue<string> Calls { get; } = new();

    public Func<AgentSpec, Exception?> PrepareFailure { get; set; } = _ => null;

    public bool Supports(AgentKind kind) => true;

    public IReadOnlyList<RuntimeInstance> Instances => _instances.Values.OrderBy(i => i.InstanceId).ToList();

    public int Starts(string instanceId) => Calls.Count(c => c == $"start {instanceId}");

    public Task PrepareAsync(AgentSpec spec, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"prepare {spec.Name}");
        return PrepareFailure(spec) is { } failure ? Task.FromException(failure) : Task.CompletedTask;
    }

    public Task<RuntimeInstance> StartAsync(InstanceLaunch launch, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"start {launch.InstanceId}");
        var instance = _instances.AddOrUpdate(
            launch.InstanceId,
            _ => Running(launch),
            (_, existing) => existing.Status == RuntimeStatus.Running ? existing : existing with { Status = RuntimeStatus.Running, ExitCode = null, StartedAt = time.GetUtcNow() });
        return Task.FromResult(instance);
    }

    public Task StopAsync(string instanceId, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"stop {instanceId}");
        Exit(instanceId, 0);
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string instanceId, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"remove {instanceId}");
        _instances.TryRemove(instanceId, out _);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RuntimeInstance>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RuntimeInstance>>(_instances.Values.ToList());

    public async IAsyncEnumerable<LogEntry> ReadLogsAsync(string instanceId, LogQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        yield break;
    }

    public Task<InstanceStats?> GetStatsAsync(string instanceId, CancellationToken cancellationToken) =>
        Task.FromResult(_instances.TryGetValue(instanceId, out var instance) && instance.Status == RuntimeStatus.Running
            ? new InstanceStats { InstanceId = instanceId, CpuPercent = 1.5, MemoryBytes = 1024, At = time.GetUtcNow() }
            : null);

    public Task RemoveAgentResourcesAsync(string agentName, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"cleanup {agentName}");
        return Task.CompletedTask;
    }

    /// <summary>Simulates the program exiting by itself (a crash when the code is non-zero).</summary>
    public void Exit(string instanceId, int exitCode, bool oomKilled = false)
    {
        if (_instances.TryGetValue(instanceId, out var instance))
        {
            _instances[instanceId] = instance with { Status = RuntimeStatus.Exited, ExitCode = exitCode, OomKilled = oomKilled, FinishedAt = time.GetUtcNow() };
        }
    }

    /// <summary>Simulates an instance that was started before a server restart and is still running.</summary>
    public void Seed(RuntimeInstance instance) => _instances[instance.InstanceId] = instance;

    private RuntimeInstance Running(InstanceLaunch launch) => new()
    {
        InstanceId = launch.InstanceId,
        AgentName = launch.Spec.Name,
        Ordinal = launch.Ordinal,
        Generation = launch.Generation,
        Status = RuntimeStatus.Running,
        Endpoint = new Uri($"http://127.0.0.1:{Interlocked.Increment(ref _nextPort)}/"),
        StartedAt = time.GetUtcNow(),
        NativeId = launch.InstanceId,
    };
}
