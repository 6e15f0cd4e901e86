using Berth.Core.Runtime;
using Berth.Testing;

namespace Berth.Runtime.Process.Tests;

/// <summary>instance.json must not hold env values, and files stay in memory: tokens and secrets reach the agent through its environment and its files only.</summary>
public sealed class InstanceStateSecrecyTests : ProcessRuntimeTestContext
{
    [Fact]
    public async Task StartAsync_ArgReferencesASecretVariable_InstanceJsonKeepsTheReferenceNotTheValue()
    {
        var canary = $"canary-{Guid.NewGuid():N}";
        var spec = ShellAgent(UniqueName(), "echo \"got=$1\"; sleep 300", "$(API_KEY)");
        var environment = new Dictionary<string, string> { ["API_KEY"] = canary, ["BERTH_AGENT"] = spec.Name };

        var started = await Runtime.StartAsync(Launch(spec, environment), TestTimeouts.Token());

        await WaitForLogAsync(Runtime, started.InstanceId, e => e.Line == $"got={canary}");
        var state = await File.ReadAllTextAsync(Path.Combine(StateDirectory, started.InstanceId, "instance.json"), TestTimeouts.Token());
        state.ShouldNotContain(canary);
        state.ShouldContain("$(API_KEY)");
    }

    [Fact]
    public async Task StartAsync_Files_WrittenOwnerOnlyInMemoryAtBerthFilesDir_GoneAfterRemove()
    {
        var canary = $"canary-{Guid.NewGuid():N}";
        var spec = ShellAgent(UniqueName(), "echo \"dir=$BERTH_FILES_DIR\"; echo \"key=$(cat \"$BERTH_FILES_DIR/keys/api\")\"; sleep 300");
        var launch = Launch(spec) with { Files = new Dictionary<string, byte[]> { ["keys/api"] = System.Text.Encoding.UTF8.GetBytes(canary) } };

        var started = await Runtime.StartAsync(launch, TestTimeouts.Token());

        var folder = Path.Combine(FilesDirectory, started.InstanceId);
        var logs = await WaitForLogAsync(Runtime, started.InstanceId, e => e.Line == $"key={canary}");
        logs.ShouldContain(e => e.Line == $"dir={folder}");
        // the server's, readable by the agent's own group (it runs under a uid of its own) and nobody else
        File.GetUnixFileMode(Path.Combine(folder, "keys", "api")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.GroupRead);
        UnixFiles.Status(Path.Combine(folder, "keys", "api"))!.Value.UserId.ShouldBe(0u);
        new DriveInfo(folder).DriveFormat.ShouldBe("tmpfs");
        Directory.EnumerateFiles(StateDirectory, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith("stdout.", StringComparison.Ordinal))
            .ShouldAllBe(f => !File.ReadAllText(f).Contains(canary, StringComparison.Ordinal));

        await Runtime.RemoveAsync(started.InstanceId, TestTimeouts.Token());

        Directory.Exists(folder).ShouldBeFalse();
    }

    [Fact]
    public async Task ListAsync_AfterRestartOfTheDriver_ReadsTheUnexpandedStateBack()
    {
        var spec = ShellAgent(UniqueName(), "sleep 300", "$(API_KEY)");
        var started = await Runtime.StartAsync(Launch(spec, new Dictionary<string, string> { ["API_KEY"] = "x" }), TestTimeouts.Token());

        var listed = await CreateRuntime().ListAsync(TestTimeouts.Token());

        listed.ShouldHaveSingleItem().InstanceId.ShouldBe(started.InstanceId);
        listed[0].Status.ShouldBe(RuntimeStatus.Running);
    }
}
