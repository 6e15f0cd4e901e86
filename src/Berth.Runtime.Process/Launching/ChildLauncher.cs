using System.Diagnostics;
using Berth.Core.Runtime;
using Berth.Core.Specs;
using Berth.Runtime.Process.Isolation;
using Berth.Runtime.Process.Processes;
using Berth.Runtime.Process.State;

namespace Berth.Runtime.Process.Launching;

/// <summary>
/// Starts an agent as the leader of a new session (so its whole tree can be signalled as one group)
/// with stdout and stderr appended straight to files in its instance folder, confined as <see cref="IAgentConfinement"/> says.
/// </summary>
/// <remarks>
/// Why files and not pipes: a child writing into a pipe of a server that has died gets SIGPIPE on its
/// next line, so an agent would not outlive a server restart. Writing to files it holds open itself,
/// the agent keeps running and logging while no server runs, and a new server re-adopts it. The cost is
/// that lines carry no timestamp; <see cref="Logs.LogTimeIndex"/> adds them as the server sees them.
/// The shell opens the log files and enters the working directory before the confinement drops the server's rights, so an
/// agent writes its logs without being able to open them, and works in a directory whose parents may be closed to it.
/// </remarks>
internal sealed class ChildLauncher(TimeProvider timeProvider, IAgentConfinement confinement)
{
    // $1/$2 are the log files; the rest is the agent's command line. exec keeps the pid, so the pid we
    // record is the agent itself, and no shell variable set here reaches the agent's environment.
    private const string Wrapper = "out=$1; err=$2; shift 2; exec \"$@\" </dev/null >>\"$out\" 2>>\"$err\"";

    private static readonly TimeSpan SessionTimeout = TimeSpan.FromSeconds(5);

    private string? _setsid;

    /// <summary>Checks what can be checked before any instance exists: the confinement, the working directory, the command and the files its arguments name.</summary>
    public void Validate(AgentSpec spec)
    {
        var process = RequireProcess(spec);
        FindSetsid();
        confinement.EnsureAvailable();
        var user = confinement.UserFor(spec.Name);
        if (process.WorkingDir is not null)
        {
            var workingDirectory = ResolveWorkingDirectory(process.WorkingDir);
            confinement.CheckReachable(user, ".", workingDirectory, execute: false, "process.workingDir");
            var command = CommandResolver.Resolve(process.Command, workingDirectory, SearchPath(spec.Env));
            CheckReachable(user, process, command, workingDirectory);
        }
        else if (!process.Command.Contains('/', StringComparison.Ordinal) || Path.IsPathFullyQualified(process.Command))
        {
            var command = CommandResolver.Resolve(process.Command, "/", SearchPath(spec.Env));
            CheckReachable(user, process, command, "/");
        }
    }

    public async Task<(System.Diagnostics.Process Process, ProcessInstanceRecord State)> StartAsync(
        InstanceLaunch launch, ProcessInstanceFolder directory, ConfinedLaunch confined, CancellationToken cancellationToken)
    {
        var spec = RequireProcess(launch.Spec);
        var setsid = FindSetsid();
        Directory.CreateDirectory(directory.Path);
        var workingDirectory = confined.WorkingDirectory;
        var port = PortAllocator.AllocateLoopbackPort();
        var environment = ChildEnvironment.Build(launch.Environment, port, confined);
        var command = CommandResolver.Resolve(spec.Command, workingDirectory, SearchPath(environment));
        CheckReachable(confined.User, spec, command, workingDirectory);
        List<string> commandLine = [.. confinement.Prefix(confined), RelativeToWorkingDirectory(command, workingDirectory), .. spec.Args.Select(a => ArgumentExpander.Expand(a, environment))];

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

    /// <summary>The command, and every argument that names an existing file, must be reachable by the agent's user.</summary>
    private void CheckReachable(AgentUser? user, ProcessSpec spec, string command, string workingDirectory)
    {
        confinement.CheckReachable(user, RelativeToWorkingDirectory(command, workingDirectory), workingDirectory, execute: true, "process.command");
        foreach (var argument in spec.Args.Where(a => !a.Contains("$(", StringComparison.Ordinal) && File.Exists(Path.Combine(workingDirectory, a))))
        {
            confinement.CheckReachable(user, argument, workingDirectory, execute: false, "process.args");
        }
    }

    // A command inside the working directory is run by a relative path, so the directories above it need not be open to the agent.
    private static string RelativeToWorkingDirectory(string command, string workingDirectory) =>
        workingDirectory != "/" && command.StartsWith(Path.TrimEndingDirectorySeparator(workingDirectory) + "/", StringComparison.Ordinal)
            ? "./" + Path.GetRelativePath(workingDirectory, command)
            : command;

    private static ProcessSpec RequireProcess(AgentSpec spec) =>
        spec.Process ?? throw new RuntimeException(
            $"agent '{spec.Name}' has no spec.process; the process runtime runs only process agents (use the docker runtime for images)",
            RuntimeErrorKind.Config);

    public static string ResolveWorkingDirectory(string workingDir)
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
