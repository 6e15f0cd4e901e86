using Berth.Core.Runtime;
using Berth.Testing;

namespace Berth.Runtime.Process.Tests;

/// <summary>instance.json must not hold env values: tokens and secrets reach the agent through its environment only.</summary>
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
    public async Task ListAsync_AfterRestartOfTheDriver_ReadsTheUnexpandedStateBack()
    {
        var spec = ShellAgent(UniqueName(), "sleep 300", "$(API_KEY)");
        var started = await Runtime.StartAsync(Launch(spec, new Dictionary<string, string> { ["API_KEY"] = "x" }), TestTimeouts.Token());

        var listed = await CreateRuntime().ListAsync(TestTimeouts.Token());

        listed.ShouldHaveSingleItem().InstanceId.ShouldBe(started.InstanceId);
        listed[0].Status.ShouldBe(RuntimeStatus.Running);
    }
}
