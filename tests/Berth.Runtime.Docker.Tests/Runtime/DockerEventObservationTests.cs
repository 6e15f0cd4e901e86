using Berth.Core.Runtime;
using Berth.Core.Specs;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models;
using Berth.Runtime.Docker.Runtime;
using Berth.Testing;
using Berth.Testing.Docker;
using Microsoft.Extensions.Options;

namespace Berth.Runtime.Docker.Tests.Runtime;

/// <summary>The driver learns what the engine does from its event stream, and lists everything again only after the stream broke.</summary>
[RequiresDocker]
public sealed class DockerEventObservationTests(DockerFixture docker) : IClassFixture<DockerFixture>, IAsyncLifetime
{
    private readonly string _agent = $"t{Guid.NewGuid():N}"[..12];
    private readonly DockerAgentRuntime _runtime = new(
        docker.Client, Options.Create(new DockerRuntimeOptions { StopGrace = TimeSpan.FromSeconds(1), OwnerId = $"o{Guid.NewGuid():N}"[..12] }), TimeProvider.System);

    private DockerEngineClient Client => docker.Client;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Slow);
        await docker.RemoveLabelledAsync($"berth.agent={_agent}", cts.Token);

        _runtime.Dispose();
    }

    [Fact]
    public async Task ListAsync_ContainerKilledOutsideBerth_NoticedThroughEventsWithoutListingAgain()
    {
        var token = TestTimeouts.Token();
        var started = await StartAsync("k1", token);
        (await _runtime.ListAsync(token)).ShouldContain(i => i.InstanceId == started.InstanceId && i.Status == RuntimeStatus.Running);

        await Client.KillContainerAsync(started.NativeId!, "SIGKILL", token);

        var killed = await Eventually.MatchAsync(
            async ct => (await _runtime.ListAsync(ct)).Single(i => i.InstanceId == started.InstanceId),
            i => i.Status == RuntimeStatus.Exited,
            "the kill seen by the driver",
            cancellationToken: token);
        killed.ExitCode.ShouldBe(137);
        _runtime.Resyncs.ShouldBe(1, "one list at the start; the kill came through the event stream");
    }

    [Fact]
    public async Task ListAsync_EventStreamBroke_ListsEverythingAgainAndSeesWhatHappenedMeanwhile()
    {
        var token = TestTimeouts.Token();
        var started = await StartAsync("b1", token);
        await _runtime.ListAsync(token);

        _runtime.BreakEventStream();
        await Eventually.TrueAsync(() => !_runtime.FollowingEvents, "the driver notices its event stream broke");
        await Client.KillContainerAsync(started.NativeId!, "SIGKILL", token);
        await Client.WaitContainerAsync(started.NativeId!, WaitCondition.NotRunning, token);

        var listed = (await _runtime.ListAsync(token)).Single(i => i.InstanceId == started.InstanceId);
        listed.Status.ShouldBe(RuntimeStatus.Exited, "the kill happened while no stream was followed; the list after the break finds it");
        _runtime.Resyncs.ShouldBe(2);
        _runtime.FollowingEvents.ShouldBeTrue("the list starts following the events again");
    }

    private async Task<RuntimeInstance> StartAsync(string suffix, CancellationToken token)
    {
        var spec = new AgentSpec { Name = _agent, Image = TestImages.EchoAgent, Port = TestImages.EchoAgentPort };
        await _runtime.PrepareAsync(spec, token);
        return await _runtime.StartAsync(
            new InstanceLaunch
            {
                InstanceId = $"{_agent}-{suffix}",
                Spec = spec,
                Ordinal = 0,
                Generation = 1,
                Environment = new Dictionary<string, string> { ["BERTH_AGENT"] = _agent },
            },
            token);
    }
}
