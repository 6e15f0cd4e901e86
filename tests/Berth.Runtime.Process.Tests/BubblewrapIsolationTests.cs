using Berth.Runtime.Process.Isolation;
using Berth.Testing;

namespace Berth.Runtime.Process.Tests;

/// <summary>
/// What a server that is not root gets: each agent in a bubblewrap sandbox under the server's uid. The sandbox, not the
/// uid, must hide the server's state, the other agents' files and homes, and every process outside it.
/// </summary>
public sealed class BubblewrapIsolationTests : ProcessRuntimeTestContext
{
    [Fact]
    public async Task StartAsync_Bubblewrap_HidesTheStateDirectoryOtherAgentsAndTheServerProcess()
    {
        var runtime = CreateRuntime(o => o.Isolation = ProcessIsolation.Bubblewrap);
        var canary = $"canary-{Guid.NewGuid():N}";
        var victim = Launch(ShellAgent(UniqueName(), "echo \"key=$(cat \"$BERTH_FILES_DIR/key\")\"; echo mine > \"$HOME/notes\"; echo ready; sleep 300")) with
        {
            Files = new Dictionary<string, byte[]> { ["key"] = System.Text.Encoding.UTF8.GetBytes(canary) },
        };
        var started = await runtime.StartAsync(victim, TestTimeouts.Token());
        await WaitForLogAsync(runtime, started.InstanceId, e => e.Line == $"key={canary}");
        await WaitForLogAsync(runtime, started.InstanceId, e => e.Line == "ready");
        await File.WriteAllTextAsync(Path.Combine(StateDirectory, "secrets.key"), canary, TestTimeouts.Token());
        string[] targets =
        [
            Path.Combine(StateDirectory, "secrets.key"),
            Path.Combine(FilesDirectory, started.InstanceId, "key"),
            Path.Combine(AgentsDirectory, started.InstanceId, "notes"),
            $"/proc/{Environment.ProcessId}/environ",
            $"/proc/{started.NativeId}/environ",
        ];
        var script = string.Join("; ", targets.Select((t, i) => $"if cat '{t}' >/dev/null 2>&1; then echo \"read {i}\"; fi"))
            + "; echo \"processes=$(ls /proc | grep -c '^[0-9]')\"; echo probed; sleep 300";

        var thief = await runtime.StartAsync(Launch(ShellAgent(UniqueName(), script)), TestTimeouts.Token());

        var logs = await WaitForLogAsync(runtime, thief.InstanceId, e => e.Line == "probed");
        logs.Where(e => e.Line.StartsWith("read ", StringComparison.Ordinal)).Select(e => e.Line).ShouldBeEmpty();
        var processes = int.Parse(logs.Single(e => e.Line.StartsWith("processes=", StringComparison.Ordinal)).Line[10..], System.Globalization.CultureInfo.InvariantCulture);
        processes.ShouldBeLessThan(10, "only the sandbox's own few processes are visible, not the host's");
    }
}
