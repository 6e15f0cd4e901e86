using System.Net;
using Berth.Client.Contracts;
using Berth.Core.Agents;
using Berth.Runtime.Docker.Engine.Models;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Berth.Testing.Docker;

namespace Berth.Server.Tests.Docker;

/// <summary>
/// The swarm runtime on a real single-node swarm: agents run as services on an overlay network, Berth reaches them only through
/// relays published on 127.0.0.1, their files arrive as Swarm secrets, a restarted server adopts what runs, a changed spec
/// replaces the services, and removing the agent leaves nothing behind.
/// </summary>
[RequiresDocker]
public sealed class SwarmAgentTests : IAsyncLifetime
{
    private const string Motd = "/www/motd.txt";

    private DockerAgentHarness _h = null!;
    private TestServer _server = null!;

    private string Name => _h.Name;

    public async Task InitializeAsync()
    {
        _h = await DockerAgentHarness.CreateAsync();
        _server = await _h.StartSwarmServerAsync();
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Apply_TwoReplicas_ServicesOnTheOverlayReachedThroughLoopbackRelays_AdoptedAfterARestart_ReplacedOnChange_RemovedWithoutTrace()
    {
        using (var created = await _server.ApplyAsync(_h.EchoSpec(replicas: 2) with { Files = new Dictionary<string, string> { [Motd] = "first words" } }))
        {
            created.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        var view = await _server.WaitForAsync(Name, v => v.State == AgentState.Running && v.Instances.Count == 2 && v.Instances.All(i => i.State == InstanceState.Running));
        view.Runtime.ShouldBe("swarm");
        var instances = view.Instances.Select(i => i.Id).Order(StringComparer.Ordinal).ToList();

        var services = await ServicesAsync();
        services.Select(s => s.Spec!.Name).Order(StringComparer.Ordinal).ShouldBe(instances.Select(i => $"berth-{i}"));
        foreach (var service in services)
        {
            service.Spec!.Mode.Replicated!.Replicas.ShouldBe(1);
            service.Spec.EndpointSpec!.Mode.ShouldBe("dnsrr", "no published ports and no IPVS: the service is reached by name on its overlay only");
            service.Spec.Labels!["berth.owner"].ShouldBe(DockerAgentHarness.OwnerOf(_server));
            service.Spec.TaskTemplate.ContainerSpec.CapabilityDrop.ShouldBe(["ALL"]);
        }

        var network = (await _h.NetworksAsync()).ShouldHaveSingleItem();
        network.Driver.ShouldBe("overlay");
        var relays = (await _h.ContainersAsync()).Where(c => c.Labels?.GetValueOrDefault("berth.role") == "relay").ToList();
        relays.Count.ShouldBe(2);
        relays.SelectMany(r => r.Ports).Where(p => p.PublicPort is not null).ShouldAllBe(p => p.Ip == "127.0.0.1", "a relay is published on loopback only");

        var (status, echo) = await _h.EchoAsync(_server, "through-the-relay");
        status.ShouldBe(HttpStatusCode.OK);
        echo!.Value.GetProperty("body").GetString().ShouldBe("through-the-relay");
        instances.ShouldContain(echo.Value.GetProperty("instance").GetString()!);
        (await ReadMotdAsync()).ShouldBe("first words", "the file reached the task as a Swarm secret");

        await DockerAgentHarness.RestartAsync(_server, runtime: "swarm");
        var adopted = await _server.WaitForAsync(Name, v => v.State == AgentState.Running && v.Instances.All(i => i.State == InstanceState.Running));
        adopted.Instances.Select(i => i.Id).Order(StringComparer.Ordinal).ToList().ShouldBe(instances, "a new server adopts the running services rather than starting others");
        (await ServicesAsync()).Select(s => s.Id).Order(StringComparer.Ordinal).ToList().ShouldBe(services.Select(s => s.Id).Order(StringComparer.Ordinal).ToList());
        (await _h.EchoAsync(_server, "after-restart")).Status.ShouldBe(HttpStatusCode.OK);

        using (var changed = await _server.ApplyAsync(_h.EchoSpec(replicas: 2) with { Files = new Dictionary<string, string> { [Motd] = "second words" } }))
        {
            changed.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var replaced = await _server.WaitForAsync(Name, v => v.State == AgentState.Running && v.Instances.Count == 2 && v.Instances.All(i => i.Generation == 2 && i.State == InstanceState.Running));
        await Eventually.TrueAsync(async _ => (await ServicesAsync()).Count == 2, "the first generation's services to be removed");
        (await ServicesAsync()).Select(s => s.Spec!.Name).Order(StringComparer.Ordinal).ShouldBe(replaced.Instances.Select(i => $"berth-{i.Id}").Order(StringComparer.Ordinal));
        (await ReadMotdAsync()).ShouldBe("second words");

        using (var removed = await _server.Http.DeleteAsync($"/api/v1/agents/{Name}", TestTimeouts.Token()))
        {
            removed.IsSuccessStatusCode.ShouldBeTrue();
        }

        await Eventually.TrueAsync(
            async token => (await ServicesAsync()).Count == 0 && (await _h.ContainersAsync()).Count == 0 && (await _h.NetworksAsync()).Count == 0 &&
                (await _h.Docker.ListSecretsAsync([_h.AgentLabel], token)).Count == 0,
            "the agent's services, relays, network and secrets to be removed");
    }

    [Fact]
    public async Task Reconciler_TaskKilled_TheSameServiceRunsANewTask()
    {
        using (var created = await _server.ApplyAsync(_h.EchoSpec()))
        {
            created.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        var instance = (await _server.WaitRunningAsync(Name)).Instances.ShouldHaveSingleItem();
        var service = (await ServicesAsync()).ShouldHaveSingleItem();
        var task = (await _h.Docker.ListContainersAsync(new ContainerListQuery { Labels = [_h.AgentLabel, "com.docker.swarm.service.id=" + service.Id] }, TestTimeouts.Token()))
            .ShouldHaveSingleItem();

        await _h.Docker.KillContainerAsync(task.Id, "KILL", TestTimeouts.Token());

        var restarted = await _server.WaitForAsync(Name, v => v.Instances.Single() is { RestartCount: >= 1, State: InstanceState.Running });
        restarted.Instances.Single().Id.ShouldBe(instance.Id);
        var again = (await ServicesAsync()).ShouldHaveSingleItem();
        again.Id.ShouldBe(service.Id, "the instance keeps its service");
        again.Spec!.TaskTemplate.ForceUpdate.ShouldBeGreaterThanOrEqualTo(1, "Berth asked Swarm for a new task");
        (await _h.EchoAsync(_server, "new-task")).Status.ShouldBe(HttpStatusCode.OK);
    }

    private Task<IReadOnlyList<Runtime.Docker.Engine.Models.Swarm.ServiceInspect>> ServicesAsync() =>
        _h.Docker.ListServicesAsync([_h.AgentLabel], TestTimeouts.Token());

    private async Task<string> ReadMotdAsync()
    {
        using var response = await _server.Http.GetAsync($"/agents/{Name}/motd.txt", TestTimeouts.Token());
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync(TestTimeouts.Token());
    }
}
