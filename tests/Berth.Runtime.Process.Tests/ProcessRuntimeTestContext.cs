using Berth.Core.Runtime;
using Berth.Core.Specs;
using Berth.Runtime.Process.Isolation;
using Berth.Testing;
using Microsoft.Extensions.Options;

namespace Berth.Runtime.Process.Tests;

/// <summary>A fresh state directory and driver per test; kills and deletes whatever the test started.</summary>
public abstract class ProcessRuntimeTestContext : IAsyncLifetime
{
    private readonly List<ProcessAgentRuntime> _runtimes = [];

    protected ProcessRuntimeTestContext()
    {
        StateDirectory = Path.Combine(Path.GetTempPath(), $"berth-process-{Guid.NewGuid():N}");
        Runtime = CreateRuntime();
    }

    protected string StateDirectory { get; }

    protected string FilesDirectory { get; } = $"/dev/shm/berth-test-{Guid.NewGuid():N}";

    protected string AgentsDirectory { get; } = Path.Combine(Path.GetTempPath(), $"berth-agents-{Guid.NewGuid():N}");

    protected ProcessAgentRuntime Runtime { get; }

    protected static string UniqueName() => $"t{Guid.NewGuid():N}"[..12];

    /// <summary>A driver over this test's directories, on <paramref name="time"/> (the system clock by default).</summary>
    protected ProcessAgentRuntime CreateRuntime(Action<ProcessRuntimeOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new ProcessRuntimeOptions { StateDirectory = StateDirectory, FilesDirectory = FilesDirectory, AgentsDirectory = AgentsDirectory, StopGrace = TimeSpan.FromSeconds(2) };
        configure?.Invoke(options);
        var runtime = new ProcessAgentRuntime(Options.Create(options), time ?? TimeProvider.System);
        _runtimes.Add(runtime);
        return runtime;
    }

    protected static AgentSpec ShellAgent(string name, string script, params string[] positional) => new()
    {
        Name = name,
        Process = new ProcessSpec { Command = "sh", Args = ["-c", script, "agent", .. positional] },
    };

    protected static InstanceLaunch Launch(AgentSpec spec, IReadOnlyDictionary<string, string>? environment = null) => new()
    {
        InstanceId = $"{spec.Name}-0",
        Spec = spec,
        Ordinal = 0,
        Generation = 1,
        Environment = environment ?? new Dictionary<string, string> { ["BERTH_AGENT"] = spec.Name, ["BERTH_INSTANCE"] = $"{spec.Name}-0" },
    };

    protected static async Task<List<LogEntry>> ReadAllLogsAsync(IAgentRuntime runtime, string instanceId, LogQuery? query = null)
    {
        var entries = new List<LogEntry>();
        await foreach (var entry in runtime.ReadLogsAsync(instanceId, query ?? new LogQuery(), TestTimeouts.Token(TestTimeouts.Quick)))
        {
            entries.Add(entry);
        }

        return entries;
    }

    /// <summary>Polls the logs until a line satisfies <paramref name="match"/>; fails after <see cref="TestTimeouts.Slow"/>.</summary>
    protected static Task<List<LogEntry>> WaitForLogAsync(IAgentRuntime runtime, string instanceId, Func<LogEntry, bool> match) =>
        Eventually.MatchAsync(
            _ => ReadAllLogsAsync(runtime, instanceId),
            entries => entries.Any(match),
            entries => $"a matching line in {instanceId}'s log; lines so far: {string.Join(" | ", entries?.Select(e => e.Line) ?? [])}");

    protected static async Task<RuntimeInstance> WaitForStatusAsync(IAgentRuntime runtime, string instanceId, RuntimeStatus status) =>
        (await Eventually.MatchAsync(
            async token => (await runtime.ListAsync(token)).SingleOrDefault(i => i.InstanceId == instanceId),
            instance => instance?.Status == status,
            $"{instanceId} {status}"))!;

    /// <summary>Whether the pid runs (a zombie does not: PID 1 here may never reap orphans).</summary>
    protected static bool IsProcessLive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var each in _runtimes)
        {
            each.Dispose();
        }

        using var cleaner = CreateRuntime();
        try
        {
            foreach (var instance in await cleaner.ListAsync(TestTimeouts.Token()))
            {
                await cleaner.RemoveAsync(instance.InstanceId, TestTimeouts.Token());
            }
        }
        finally
        {
            foreach (var directory in new[] { StateDirectory, FilesDirectory, AgentsDirectory }.Where(Directory.Exists))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
