using System.Diagnostics;
using Berth.Core.Runtime;
using Berth.Core.Specs;
using Berth.Runtime.Process.Processes;
using Berth.Runtime.Process.State;

namespace Berth.Runtime.Process.Launching;

/// <summary>
/// Starts an agent as the leader of a new session (so its whole tree can be signalled as one group)
/// with stdout and stderr appended straight to files in its instance folder.
/// </summary>
/// <remarks>
/// Why files and not pipes: a child writing into a pipe of a server that has died gets SIGPIPE on its
/// next line, so an agent would not outlive a server restart. Writing to files it holds open itself,
/// the agent keeps running and logging while no server runs, and a new server re-adopts it. The cost is
/// that lines carry no timestamp; <see cref="Logs.LogTimeIndex"/> adds them as the server sees them.
/// </remarks>
internal sealed class ChildLauncher(TimeProvider timeProvider)
{
    // $1/$2 are the log files; the rest is the agent's command line. exec keeps the pid, so the pid we
    // record is the agent itself, and no shell variable set here reaches the agent's environment.
    private const string Wrapper = "out=$1; err=$2; shift 2; exec \"$@\" </dev/null >>\"$out\" 2>>\"$err\"";

    private static readonly TimeSpan SessionTimeout = TimeSpan.FromSeconds(5);

    private string? _setsid;

    /// <summary>Checks what can be checked before any instance exists: the working directory and the command.</summary>
    public void Validate(AgentSpec spec)
    {
        var process = RequireProcess(spec);
        FindSetsid();
        if (process.WorkingDir is not null)
        {
            var workingDirectory = ResolveWorkingDirectory(process.WorkingDir);
            CommandResolver.Resolve(process.Command, workingDirectory, SearchPath(spec.Env));
        }
        else if (!process.Command.Contains('/', StringComparison.Ordinal) || Path.IsPathFullyQualified(process.Command))
        {
            CommandResolver.Resolve(process.Command, "/", SearchPath(spec.Env));
        }
    }

    public async Task<(System.Diagnostics.Process Process, ProcessInstanceRecord State)> StartAsync(
        InstanceLaunch launch, ProcessInstanceFolder directory, string? filesDirectory, CancellationToken cancellationToken)
    {
        var spec = RequireProcess(launch.Spec);
        var setsid = FindSetsid();
        Directory.CreateDirectory(directory.Path);
        var workingDirectory = spec.WorkingDir is null ? directory.Path : ResolveWorkingDirectory(spec.WorkingDir);
        var port = PortAllocator.AllocateLoopbackPort();
        var environment = ChildEnvironment.Build(launch.Environment, port, filesDirectory);
        var command = CommandResolver.Resolve(spec.Command, workingDirectory, SearchPath(environment));
        List<string> commandLine = [command, .. spec.Args.Select(a => ArgumentExpander.Expand(a, environment))];

        // instance.json keeps the arguments as written: expanded, a $(VAR) would put env values (secrets, BERTH_TOKEN) on disk.
        List<string> recordedCommandLine = [command, .. spec.Args];

        var startInfo = new ProcessStartInfo(setsid) { UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var argument in (string[])["/bin/sh", "-c", Wrapper, "berth-agent", directory.LogPath(LogSource.Stdout), directory.LogPath(LogSource.Stderr)])
        {
            startInfo.ArgumentList.Add(argument);
        }

        commandLine.ForEach(startInfo.ArgumentList.Add);
        startInfo.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        System.Diagnostics.Process process;
        try
        {
            process = System.Diagnostics.Process.Start(startInfo)
                ?? throw new RuntimeException($"starting {command} for instance {launch.InstanceId} returned no process; retry");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new RuntimeException($"could not start {setsid} for instance {launch.InstanceId}: {e.Message}", RuntimeErrorKind.Config, e);
        }

        var startedAt = timeProvider.GetUtcNow();
        var startTime = await WaitForOwnSessionAsync(process, cancellationToken);
        var state = new ProcessInstanceRecord
        {
            InstanceId = launch.InstanceId,
            AgentName = launch.Spec.Name,
            Ordinal = launch.Ordinal,
            Generation = launch.Generation,
            Pid = process.Id,
            ProcessStartTime = startTime,
            Port = port,
            CommandLine = recordedCommandLine,
            WorkingDirectory = workingDirectory,
            StartedAt = startedAt,
        };
        return (process, state);
    }

    /// <summary>
    /// Waits until setsid has made the child a group leader, so a stop right after the start reaches
    /// the group; returns the child's start time (0 when it already ended).
    /// </summary>
    private async Task<long> WaitForOwnSessionAsync(System.Diagnostics.Process process, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        while (true)
        {
            var stat = ProcStat.Read(process.Id);
            if (stat is null || !stat.IsLive || stat.ProcessGroup == process.Id || timeProvider.GetElapsedTime(started) > SessionTimeout)
            {
                return stat?.StartTime ?? 0;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(2), timeProvider, cancellationToken);
        }
    }

    private static ProcessSpec RequireProcess(AgentSpec spec) =>
        spec.Process ?? throw new RuntimeException(
            $"agent '{spec.Name}' has no spec.process; the process runtime runs only process agents (use the docker runtime for images)",
            RuntimeErrorKind.Config);

    private static string ResolveWorkingDirectory(string workingDir)
    {
        // The spec loader makes it absolute against the spec file; a relative one left here is taken from the server's directory.
        var full = Path.GetFullPath(workingDir);
        return Directory.Exists(full)
            ? full
            : throw new RuntimeException($"process.workingDir '{workingDir}' does not exist; create it or fix the path", RuntimeErrorKind.Config);
    }

    private static string? SearchPath(IReadOnlyDictionary<string, string> environment) =>
        environment.TryGetValue("PATH", out var path) ? path : Environment.GetEnvironmentVariable("PATH");

    private string FindSetsid() =>
        _setsid ??= CommandResolver.FindTool("setsid") ?? throw new RuntimeException(
            "setsid was not found (in /usr/bin, /bin or on PATH); install util-linux (or busybox) so agents can run in their own session",
            RuntimeErrorKind.Config);
}
