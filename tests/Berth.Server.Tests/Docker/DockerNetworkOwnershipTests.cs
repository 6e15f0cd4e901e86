using Berth.Core.Specs;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Runtime;
using Berth.Testing;
using Berth.Testing.Docker;
using Microsoft.Extensions.Options;

namespace Berth.Server.Tests.Docker;

/// <summary>Two servers' docker drivers preparing the same agent name at the same moment on one engine.</summary>
[RequiresDocker]
public sealed class DockerNetworkOwnershipTests : IAsyncLifetime
{
    private const int Rounds = 4;

    private readonly List<string> _agents = [];
    private DockerEngineClient _docker = null!;

    public async Task InitializeAsync()
    {
        _docker = await DockerTestEnvironment.RequireAsync();
        await TestImages.EnsureEchoAgentAsync(_docker, TestTimeouts.Token());
    }

    public async Task DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Slow);
        foreach (var agent in _agents)
        {
            foreach (var network in await _docker.ListNetworksAsync([$"berth.agent={agent}"], cts.Token))
            {
                await _docker.RemoveNetworkAsync(network.Id, cts.Token);
            }
        }

        _docker.Dispose();
    }

    [Fact]
    public async Task PrepareAsync_TwoOwnersAtOnce_EachGetsOneNetworkUnderADistinctName()
    {
        using var first = Driver("owner-a");
        using var second = Driver("owner-b");
        for (var round = 0; round < Rounds; round++)
        {
            var spec = new AgentSpec { Name = $"n{Guid.NewGuid():N}"[..12], Image = TestImages.EchoAgent };
            _agents.Add(spec.Name);

            await Task.WhenAll(
                Task.Run(() => first.PrepareAsync(spec, TestTimeouts.Token())),
                Task.Run(() => second.PrepareAsync(spec, TestTimeouts.Token())),
                Task.Run(() => first.PrepareAsync(spec, TestTimeouts.Token())),
                Task.Run(() => second.PrepareAsync(spec, TestTimeouts.Token())));

            var networks = await _docker.ListNetworksAsync([$"berth.agent={spec.Name}"], TestTimeouts.Token());
            networks.Select(n => n.Labels!["berth.owner"]).Order().ToList().ShouldBe(["owner-a", "owner-b"]);
            networks.Select(n => n.Name).Distinct().Count().ShouldBe(2, $"round {round}: a shared name makes the engine refuse to start containers");

            await first.RemoveAgentResourcesAsync(spec.Name, TestTimeouts.Token());
            (await _docker.ListNetworksAsync([$"berth.agent={spec.Name}"], TestTimeouts.Token())).ShouldHaveSingleItem().Labels!["berth.owner"].ShouldBe("owner-b");
            await second.RemoveAgentResourcesAsync(spec.Name, TestTimeouts.Token());
        }
    }

    private DockerAgentRuntime Driver(string owner) =>
        new(_docker, Options.Create(new DockerRuntimeOptions { OwnerId = owner }), TimeProvider.System);
}
