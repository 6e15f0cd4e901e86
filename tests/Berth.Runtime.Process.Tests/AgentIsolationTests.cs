using System.Globalization;
using Berth.Core.Runtime;
using Berth.Core.Specs;
using Berth.Testing;

namespace Berth.Runtime.Process.Tests;

/// <summary>
/// The server runs as root here, so every process agent runs under a uid of its own: it must not read the server's state,
/// another agent's secret files, environment or home, or the server's memory — and must still run what its spec names.
/// </summary>
public sealed class AgentIsolationTests : ProcessRuntimeTestContext
{
    private const UnixFileMode Open = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Fact]
    public async Task StartAsync_TwoAgents_EachRunsUnderItsOwnUnprivilegedUid()
    {
        var first = await Runtime.StartAsync(Launch(ShellAgent(UniqueName(), "echo \"uid=$(id -u) gid=$(id -g) groups=$(id -G)\"; sleep 300")), TestTimeouts.Token());
        var second = await Runtime.StartAsync(Launch(ShellAgent(UniqueName(), "echo \"uid=$(id -u) gid=$(id -g) groups=$(id -G)\"; sleep 300")), TestTimeouts.Token());

        var firstUid = await ReadUidAsync(first.InstanceId);
        var secondUid = await ReadUidAsync(second.InstanceId);

        firstUid.ShouldNotBe(0u);
        secondUid.ShouldNotBe(0u);
        firstUid.ShouldNotBe(secondUid);
    }

    [Fact]
    public async Task StartAsync_AgentProbesTheServerAndAnotherAgent_ReadsNothingOfTheirs()
    {
        var canary = $"canary-{Guid.NewGuid():N}";
        var victim = ShellAgent(UniqueName(), "echo \"key=$(cat \"$BERTH_FILES_DIR/key\")\"; echo \"$API_KEY\" > \"$HOME/notes\"; echo ready; sleep 300");
        var victimLaunch = Launch(victim, new Dictionary<string, string> { ["API_KEY"] = canary }) with
        {
            Files = new Dictionary<string, byte[]> { ["key"] = System.Text.Encoding.UTF8.GetBytes(canary) },
        };
        var started = await Runtime.StartAsync(victimLaunch, TestTimeouts.Token());
        await WaitForLogAsync(Runtime, started.InstanceId, e => e.Line == "ready");
        (await ReadAllLogsAsync(Runtime, started.InstanceId)).ShouldContain(e => e.Line == $"key={canary}");

        var serverSecret = Path.Combine(StateDirectory, "secrets.key");
        await File.WriteAllTextAsync(serverSecret, canary, TestTimeouts.Token());
        string[] targets =
        [
            serverSecret,
            Path.Combine(StateDirectory, started.InstanceId, "instance.json"),
            Path.Combine(StateDirectory, started.InstanceId, "stdout.log"),
            Path.Combine(FilesDirectory, started.InstanceId, "key"),
            Path.Combine(AgentsDirectory, started.InstanceId, "notes"),
            $"/proc/{started.NativeId}/environ",
            $"/proc/{Environment.ProcessId}/environ",
            $"/proc/{Environment.ProcessId}/mem",
        ];
        var script = string.Join("; ", targets.Select((t, i) => $"if cat '{t}' >/dev/null 2>&1; then echo \"read {i}\"; cat '{t}'; fi")) + "; echo probed; sleep 300";

        var thief = await Runtime.StartAsync(Launch(ShellAgent(UniqueName(), script)), TestTimeouts.Token());

        var logs = await WaitForLogAsync(Runtime, thief.InstanceId, e => e.Line == "probed");
        logs.Where(e => e.Line.StartsWith("read ", StringComparison.Ordinal)).Select(e => targets[int.Parse(e.Line[5..], CultureInfo.InvariantCulture)]).ShouldBeEmpty();
        logs.ShouldAllBe(e => !e.Line.Contains(canary, StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartAsync_NoWorkingDirInSpec_AgentWorksInAPrivateHomeOutsideTheStateDirectory()
    {
        var started = await Runtime.StartAsync(Launch(ShellAgent(UniqueName(), "echo \"pwd=$(pwd) home=$HOME\"; touch written; echo done; sleep 300")), TestTimeouts.Token());

        var logs = await WaitForLogAsync(Runtime, started.InstanceId, e => e.Line == "done");

        var home = Path.Combine(AgentsDirectory, started.InstanceId);
        logs.ShouldContain(e => e.Line == $"pwd={home} home={home}");
        File.Exists(Path.Combine(home, "written")).ShouldBeTrue();
        File.GetUnixFileMode(home).ShouldBe(OwnerOnly);
        await Runtime.RemoveAsync(started.InstanceId, TestTimeouts.Token());
        Directory.Exists(home).ShouldBeFalse();
    }

    [Fact]
    public async Task StartAsync_AnyAgent_HasAPrivateTempFolderItOwnsInsteadOfTheSharedTmp()
    {
        var started = await Runtime.StartAsync(
            Launch(ShellAgent(UniqueName(), "echo \"tmp=$TMPDIR\"; mkdir \"$TMPDIR/scratch\" && chmod 700 \"$TMPDIR/scratch\" && echo made; echo done; sleep 300")),
            TestTimeouts.Token());

        var logs = await WaitForLogAsync(Runtime, started.InstanceId, e => e.Line == "done");

        var temp = Path.Combine(AgentsDirectory, started.InstanceId, "tmp");
        logs.ShouldContain(e => e.Line == $"tmp={temp}");
        logs.ShouldContain(e => e.Line == "made", "the agent creates and chmods its own scratch folders (a .NET agent's NuGet restore does)");
        File.GetUnixFileMode(temp).ShouldBe(OwnerOnly);
        File.GetUnixFileMode(Path.Combine(temp, "scratch")).ShouldBe(OwnerOnly);
    }

    [Fact]
    public async Task Dispose_AgentsDirectory_RemovedWhenNoHomeIsLeftKeptWhileAnAgentRuns()
    {
        var first = CreateRuntime();
        var started = await first.StartAsync(Launch(ShellAgent(UniqueName(), "sleep 300")), TestTimeouts.Token());
        first.Dispose();
        Directory.Exists(Path.Combine(AgentsDirectory, started.InstanceId)).ShouldBeTrue("a running agent keeps its home for the next server");

        var second = CreateRuntime();
        await second.RemoveAsync(started.InstanceId, TestTimeouts.Token());
        second.Dispose();

        Directory.Exists(AgentsDirectory).ShouldBeFalse();
    }

    [Fact]
    public async Task StartAsync_WorkingDirUnderADirectoryClosedToOthers_RunsItsScriptByRelativePath()
    {
        var closed = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"berth-closed-{Guid.NewGuid():N}"), OwnerOnly).FullName;
        try
        {
            var project = Directory.CreateDirectory(Path.Combine(closed, "project"), Open).FullName;
            var script = Path.Combine(project, "run.sh");
            await File.WriteAllTextAsync(script, "#!/bin/sh\necho \"ran as $(id -u) with $(cat data.txt)\"\nsleep 300\n", TestTimeouts.Token());
            File.SetUnixFileMode(script, Open);
            await File.WriteAllTextAsync(Path.Combine(project, "data.txt"), "data", TestTimeouts.Token());
            var spec = new AgentSpec { Name = UniqueName(), Process = new ProcessSpec { Command = "./run.sh", WorkingDir = project } };

            await Runtime.PrepareAsync(spec, TestTimeouts.Token());
            var started = await Runtime.StartAsync(Launch(spec), TestTimeouts.Token());

            var logs = await WaitForLogAsync(Runtime, started.InstanceId, e => e.Line.StartsWith("ran as ", StringComparison.Ordinal));
            logs.ShouldContain(e => e.Line.EndsWith(" with data", StringComparison.Ordinal) && !e.Line.StartsWith("ran as 0 ", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(closed, recursive: true);
        }
    }

    [Fact]
    public async Task PrepareAsync_ArgumentFileTheAgentCannotRead_IsRefusedNamingTheFile()
    {
        var project = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"berth-project-{Guid.NewGuid():N}"), Open).FullName;
        try
        {
            var secret = Path.Combine(project, "server.conf");
            await File.WriteAllTextAsync(secret, "private", TestTimeouts.Token());
            File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var spec = new AgentSpec { Name = UniqueName(), Process = new ProcessSpec { Command = "cat", Args = ["server.conf"], WorkingDir = project } };

            var refused = await Should.ThrowAsync<RuntimeException>(() => Runtime.PrepareAsync(spec, TestTimeouts.Token()));

            refused.Kind.ShouldBe(RuntimeErrorKind.Config);
            refused.Message.ShouldContain("process.args 'server.conf'");
            refused.Message.ShouldContain(secret);
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }

    [Fact]
    public async Task PrepareAsync_CommandInADirectoryClosedToOthers_IsRefusedNamingTheDirectory()
    {
        var closed = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"berth-closed-{Guid.NewGuid():N}"), OwnerOnly).FullName;
        try
        {
            var tool = Path.Combine(closed, "tool");
            await File.WriteAllTextAsync(tool, "#!/bin/sh\n", TestTimeouts.Token());
            File.SetUnixFileMode(tool, Open);
            var spec = new AgentSpec { Name = UniqueName(), Process = new ProcessSpec { Command = tool } };

            var refused = await Should.ThrowAsync<RuntimeException>(() => Runtime.PrepareAsync(spec, TestTimeouts.Token()));

            refused.Message.ShouldContain($"process.command '{tool}'");
            refused.Message.ShouldContain($"'{closed}' is closed to it");
        }
        finally
        {
            Directory.Delete(closed, recursive: true);
        }
    }

    private async Task<uint> ReadUidAsync(string instanceId)
    {
        var logs = await WaitForLogAsync(Runtime, instanceId, e => e.Line.StartsWith("uid=", StringComparison.Ordinal));
        var line = logs.First(e => e.Line.StartsWith("uid=", StringComparison.Ordinal)).Line;
        var parts = line.Split(' ').Select(p => p.Split('=')[1]).ToArray();
        parts[1].ShouldBe(parts[0], "the agent's gid is its uid");
        parts[2].ShouldBe(parts[0], "the agent has no supplementary groups");
        return uint.Parse(parts[0], CultureInfo.InvariantCulture);
    }
}
