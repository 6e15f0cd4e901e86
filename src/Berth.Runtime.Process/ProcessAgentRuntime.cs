using System.Collections.Concurrent;
using System.Globalization;
using Berth.Core.Runtime;
using Berth.Core.Security;
using Berth.Core.Specs;
using Berth.Runtime.Process.Isolation;
using Berth.Runtime.Process.Launching;
using Berth.Runtime.Process.Logs;
using Berth.Runtime.Process.Processes;
using Berth.Runtime.Process.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Berth.Runtime.Process;

/// <summary>
/// The <c>process</c> driver: runs each agent instance as a local child process in its own session,
/// with a free loopback port in <c>PORT</c>, confined as <see cref="ProcessRuntimeOptions.Isolation"/> says. What the server
/// keeps about an instance lives in <c>{StateDirectory}/{instanceId}/</c> (state file and logs), so instances outlive a
/// server restart and are re-adopted by the next one; the agent itself works in its home under
/// <see cref="ProcessRuntimeOptions.AgentsDirectory"/>. Only the server that leads starts, stops and adopts instances; servers
/// sharing a store on one host share the state directory, so the next leader adopts the instances of the one before.
/// </summary>
public sealed partial class ProcessAgentRuntime : IAgentRuntime, IDisposable
{
    /// <summary>The smallest <see cref="ProcessRuntimeOptions.LogMaxBytes"/> accepted.</summary>
    internal const long MinLogMaxBytes = 1024;

    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(10);

    private readonly ProcessRuntimeOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ChildLauncher _launcher;
    private readonly ProcessGroupTerminator _terminator;
    private readonly LogReader _logReader;
    private readonly InstanceLocks _locks = new();
    private readonly InstanceFileArea _files;
    private readonly IAgentConfinement _confinement;
    private readonly AgentHomes _homes;
    private readonly ConcurrentDictionary<string, Child> _children = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, InstanceLogs> _logs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ProcessInstanceRecord> _states = new(StringComparer.Ordinal);
    private readonly LogStamper _logStamper;
    private volatile bool _disposed;

    /// <summary>Creates the driver over <see cref="ProcessRuntimeOptions.StateDirectory"/>.</summary>
    public ProcessAgentRuntime(IOptions<ProcessRuntimeOptions> options, TimeProvider timeProvider, ILogger<ProcessAgentRuntime>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        if (!Path.IsPathFullyQualified(_options.StateDirectory))
        {
            throw new ArgumentException($"{nameof(ProcessRuntimeOptions)}.{nameof(ProcessRuntimeOptions.StateDirectory)} must be an absolute path", nameof(options));
        }

        if (_options.LogMaxBytes < MinLogMaxBytes || _options.LogMaxFiles < 1)
        {
            throw new ArgumentException("Berth:Process:LogMaxBytes must be at least 1024 and Berth:Process:LogMaxFiles at least 1", nameof(options));
        }

        _timeProvider = timeProvider;
        _logger = logger ?? NullLogger<ProcessAgentRuntime>.Instance;
        if (!Path.IsPathFullyQualified(_options.AgentsDirectory))
        {
            throw new ArgumentException("Berth:Process:AgentsDirectory must be an absolute path", nameof(options));
        }

        // Instance state and logs are the server's alone: an agent's user must not even list them.
        OwnedDirectory.Ensure(_options.StateDirectory, OwnerOnly.DirectoryMode, "Berth:DataDir");
        _confinement = AgentConfinements.Create(_options);
        _homes = new AgentHomes(_options.AgentsDirectory);
        ProcessRuntimeLog.Confinement(_logger, _confinement.Name, _options.AgentsDirectory);
        if (_confinement is Unconfined)
        {
            ProcessRuntimeLog.Unconfined(_logger);
        }

        _launcher = new ChildLauncher(timeProvider, _confinement);
        _files = new InstanceFileArea(_options.FilesDirectory);
        _terminator = new ProcessGroupTerminator(timeProvider);
        _logReader = new LogReader(timeProvider);
        _logStamper = new LogStamper(timeProvider, _options.LogMaxBytes, _options.LogMaxFiles, _logger);
    }

    /// <inheritdoc />
    public string Name => "process";

    /// <summary>How agents are confined here: <c>user</c>, <c>bubblewrap</c> or <c>none</c>.</summary>
    public string Isolation => _confinement.Name;

    /// <inheritdoc />
    public bool Supports(AgentKind kind) => kind == AgentKind.Process;

    /// <inheritdoc />
    public Task PrepareAsync(AgentSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _launcher.Validate(spec);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<RuntimeInstance> StartAsync(InstanceLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var directory = ProcessInstanceFolder.For(_options.StateDirectory, launch.InstanceId);
        using var held = await _locks.EnterAsync(launch.InstanceId, cancellationToken);
        if (ReadState(directory) is { } existing)
        {
            if (IsRunning(existing))
            {
                Watch(launch.InstanceId);
                return ToInstance(existing, RuntimeStatus.Running);
            }

            // Stamp what the last run left unstamped before the new run appends to the same files.
            GetLogs(launch.InstanceId).CatchUp(_timeProvider.GetUtcNow());
        }

        var confined = Confine(launch);

        // Owner-only from the start: the launch wrapper's >> keeps the mode of a file that exists.
        directory.Create();
        GetLogs(launch.InstanceId).Create();
        var (process, state) = await _launcher.StartAsync(launch, directory, confined, cancellationToken);
        var child = new Child(process, state.Pid, _timeProvider);
        _children[launch.InstanceId] = child;
        WriteState(directory, state);
        _logStamper.WatchNewRun(launch.InstanceId, GetLogs(launch.InstanceId));
        _ = RecordExitWhenDoneAsync(launch.InstanceId, child);
        ProcessRuntimeLog.Started(_logger, launch.InstanceId, state.AgentName, state.Pid, state.Port);
        return ToInstance(state, RuntimeStatus.Running);
    }

    /// <inheritdoc />
    public async Task StopAsync(string instanceId, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        var directory = ProcessInstanceFolder.For(_options.StateDirectory, instanceId);
        using var held = await _locks.EnterAsync(instanceId, cancellationToken);
        if (ReadState(directory) is { } state)
        {
            await TerminateAsync(directory, state, gracePeriod, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task RemoveAsync(string instanceId, CancellationToken cancellationToken)
    {
        var directory = ProcessInstanceFolder.For(_options.StateDirectory, instanceId);
        using var held = await _locks.EnterAsync(instanceId, cancellationToken);
        if (ReadState(directory) is { } state)
        {
            await TerminateAsync(directory, state, _options.StopGrace, cancellationToken);
        }

        if (directory.Exists)
        {
            Directory.Delete(directory.Path, recursive: true);
        }

        _states.TryRemove(instanceId, out _);
        _files.Delete(instanceId);
        _homes.Delete(instanceId);

        _logStamper.Unwatch(instanceId);
        _logs.TryRemove(instanceId, out _);
        _children.TryRemove(instanceId, out _);
        ProcessRuntimeLog.Removed(_logger, instanceId);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RuntimeInstance>> ListAsync(CancellationToken cancellationToken)
    {
        var instances = new List<RuntimeInstance>();
        foreach (var instanceId in ProcessInstanceFolder.ListInstanceIds(_options.StateDirectory))
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (Observe(ProcessInstanceFolder.For(_options.StateDirectory, instanceId)) is { } instance)
                {
                    instances.Add(instance);
                }
            }
            catch (Exception e) when (e is RuntimeException or ArgumentException)
            {
                ProcessRuntimeLog.SkippedInstance(_logger, instanceId, e.Message);
            }
        }

        return Task.FromResult<IReadOnlyList<RuntimeInstance>>(instances);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<LogEntry> ReadLogsAsync(string instanceId, LogQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var directory = ProcessInstanceFolder.For(_options.StateDirectory, instanceId);
        return _logReader.ReadAsync(GetLogs(instanceId), () => ReadState(directory) is { } state && IsRunning(state), query, cancellationToken);
    }

    /// <inheritdoc />
    public Task RemoveAgentResourcesAsync(string agentName, CancellationToken cancellationToken) =>
        // A process agent owns nothing beyond its instances' folders, which RemoveAsync deletes.
        Task.CompletedTask;

    /// <summary>The instance's user, home, working directory and files, each ready for that user and no other.</summary>
    private ConfinedLaunch Confine(InstanceLaunch launch)
    {
        _confinement.EnsureAvailable();
        var user = _confinement.UserFor(launch.Spec.Name);
        var home = _homes.Prepare(launch.InstanceId, user);
        string? files = null;
        if (launch.Files.Count == 0)
        {
            _files.Delete(launch.InstanceId);
        }
        else
        {
            files = _files.Write(launch.InstanceId, launch.Files, UnixFileMode.UserRead, user?.GroupId);
        }

        var workingDirectory = launch.Spec.Process?.WorkingDir is { } named ? ChildLauncher.ResolveWorkingDirectory(named) : home;
        return new ConfinedLaunch(user, home, workingDirectory, files);
    }

    /// <summary>Stops stamping logs and recording exits. Running agents are left running, to be re-adopted.</summary>
    public void Dispose()
    {
        _disposed = true;
        _logStamper.Dispose();
        _homes.RemoveRootIfEmpty();
    }

    /// <summary>
    /// The instance's state as last written, read from its file once: this driver is the only writer (one server per state
    /// directory), and reading and parsing every instance's file on every reconciler pass was most of a pass at 500 agents.
    /// </summary>
    private ProcessInstanceRecord? ReadState(ProcessInstanceFolder directory)
    {
        if (!_options.SharedStateDirectory && _states.TryGetValue(directory.InstanceId, out var known))
        {
            return known;
        }

        var state = directory.ReadState();
        if (state is not null)
        {
            _states[directory.InstanceId] = state;
        }

        return state;
    }

    private void WriteState(ProcessInstanceFolder directory, ProcessInstanceRecord state)
    {
        directory.WriteState(state);
        _states[directory.InstanceId] = state;
    }

    private RuntimeInstance? Observe(ProcessInstanceFolder directory)
    {
        if (ReadState(directory) is not { } state)
        {
            return null;
        }

        if (IsRunning(state))
        {
            if (!_children.ContainsKey(state.InstanceId) && Watch(state.InstanceId))
            {
                ProcessRuntimeLog.Adopted(_logger, state.InstanceId, state.Pid);
            }

            return ToInstance(state, RuntimeStatus.Running);
        }

        var exitCode = state.ExitCode ?? KnownExitCode(state);
        if (state.FinishedAt is null && _locks.TryEnter(state.InstanceId) is { } held)
        {
            // Record the exit now rather than wait for RecordExitWhenDoneAsync. For a child of an earlier
            // server run that ended unseen this is when we noticed, and its exit code is lost.
            using (held)
            {
                state = RecordExit(directory, state.Pid, exitCode) ?? state;
            }
        }

        // While the exit is being recorded elsewhere (the lock is busy), report it as the server saw it.
        state = state.FinishedAt is null ? state with { FinishedAt = OwnChild(state)?.ExitedAt ?? _timeProvider.GetUtcNow() } : state;
        return ToInstance(state, RuntimeStatus.Exited, exitCode);
    }

    private async Task TerminateAsync(ProcessInstanceFolder directory, ProcessInstanceRecord state, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        // A live process under the recorded pid with another start time means the pid was reused, so
        // our group is long empty; if the pid is free, the kernel keeps the group id unused while any
        // member lives, so signalling the group reaches only our processes.
        if (ProcStat.Read(state.Pid) is not { } leader || leader.StartTime == state.ProcessStartTime)
        {
            if (ProcStat.GroupHasLiveMembers(state.Pid))
            {
                ProcessRuntimeLog.Stopping(_logger, state.InstanceId, state.Pid, gracePeriod);
            }

            if (await _terminator.TerminateAsync(state.Pid, gracePeriod, cancellationToken))
            {
                ProcessRuntimeLog.Killed(_logger, state.InstanceId, state.Pid);
            }
        }

        int? exitCode = null;
        if (OwnChild(state) is { } child)
        {
            try
            {
                exitCode = await child.Exit.WaitAsync(ExitTimeout, _timeProvider, cancellationToken);
            }
            catch (TimeoutException)
            {
                // The group is gone but the runtime has not reaped the leader yet; record the stop without a code.
            }
        }

        RecordExit(directory, state.Pid, exitCode);
        Unwatch(state.InstanceId);
    }

    private async Task RecordExitWhenDoneAsync(string instanceId, Child child)
    {
        try
        {
            var exitCode = await child.Exit;
            if (_disposed)
            {
                return;
            }

            using var held = await _locks.EnterAsync(instanceId, CancellationToken.None);
            var directory = ProcessInstanceFolder.For(_options.StateDirectory, instanceId);
            if (RecordExit(directory, child.Pid, exitCode) is not null)
            {
                ProcessRuntimeLog.Exited(_logger, instanceId, child.Pid, exitCode);
            }

            if (ReadState(directory)?.Pid == child.Pid)
            {
                Unwatch(instanceId);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or RuntimeException)
        {
            ProcessRuntimeLog.ExitRecordFailed(_logger, instanceId, e);
        }
    }

    /// <summary>Writes the exit into the state file once per run; returns the new state, or null when there was nothing to record.</summary>
    private ProcessInstanceRecord? RecordExit(ProcessInstanceFolder directory, int pid, int? exitCode)
    {
        if (ReadState(directory) is not { } state || state.Pid != pid || state.FinishedAt is not null)
        {
            return null;
        }

        var exited = state with { ExitCode = exitCode, FinishedAt = _timeProvider.GetUtcNow() };
        WriteState(directory, exited);
        return exited;
    }

    private bool IsRunning(ProcessInstanceRecord state)
    {
        if (state.FinishedAt is not null || state.ProcessStartTime == 0)
        {
            return false;
        }

        if (OwnChild(state) is { } child)
        {
            // Our own child: its wait task is exact (a zombie not yet reaped still counts as running for a moment).
            return !child.Exit.IsCompleted;
        }

        return ProcStat.Read(state.Pid) is { IsLive: true } stat && stat.StartTime == state.ProcessStartTime;
    }

    private int? KnownExitCode(ProcessInstanceRecord state) =>
        OwnChild(state) is { Exit.IsCompletedSuccessfully: true } child ? child.Exit.Result : null;

    /// <summary>The child this server started for the state's current run, if any.</summary>
    private Child? OwnChild(ProcessInstanceRecord state) =>
        _children.TryGetValue(state.InstanceId, out var child) && child.Pid == state.Pid ? child : null;

    private static RuntimeInstance ToInstance(ProcessInstanceRecord state, RuntimeStatus status, int? exitCode = null) => new()
    {
        InstanceId = state.InstanceId,
        AgentName = state.AgentName,
        Ordinal = state.Ordinal,
        Generation = state.Generation,
        Status = status,
        Endpoint = status == RuntimeStatus.Running ? new Uri($"http://127.0.0.1:{state.Port.ToString(CultureInfo.InvariantCulture)}/") : null,
        ExitCode = status == RuntimeStatus.Exited ? exitCode ?? state.ExitCode : null,
        StartedAt = state.StartedAt,
        FinishedAt = status == RuntimeStatus.Exited ? state.FinishedAt : null,
        NativeId = state.Pid.ToString(CultureInfo.InvariantCulture),
    };

    private InstanceLogs GetLogs(string instanceId) =>
        _logs.GetOrAdd(instanceId, static (id, stateDirectory) => new InstanceLogs(ProcessInstanceFolder.For(stateDirectory, id)), _options.StateDirectory);

    /// <summary>Adds the instance to the set whose logs are stamped; true when it was not there yet.</summary>
    private bool Watch(string instanceId) => _logStamper.Watch(instanceId, GetLogs(instanceId));

    private void Unwatch(string instanceId)
    {
        if (_logStamper.Unwatch(instanceId) && _logs.TryGetValue(instanceId, out var logs))
        {
            logs.CatchUp(_timeProvider.GetUtcNow());
        }
    }

    /// <summary>A process this server started; <see cref="Exit"/> completes with its exit code (128+signal when killed).</summary>
    private sealed class Child
    {
        public Child(System.Diagnostics.Process process, int pid, TimeProvider timeProvider)
        {
            Pid = pid;
            Exit = WaitAsync(process, timeProvider);
        }

        public int Pid { get; }

        public Task<int> Exit { get; }

        public DateTimeOffset? ExitedAt { get; private set; }

        private async Task<int> WaitAsync(System.Diagnostics.Process process, TimeProvider timeProvider)
        {
            using (process)
            {
                await process.WaitForExitAsync(CancellationToken.None);
                ExitedAt = timeProvider.GetUtcNow();
                return process.ExitCode;
            }
        }
    }
}
