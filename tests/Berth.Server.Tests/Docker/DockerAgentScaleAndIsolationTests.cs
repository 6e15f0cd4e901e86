using System.Net;
using System.Net.Http.Json;
using Berth.Client.Contracts;
using Berth.Core.Agents;
using Berth.Core.Serialization;
using Berth.Server.Reconciliation;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Server.Tests.Docker;

/// <summary>Replicas behind the proxy, and several Berth servers sharing one engine, on the real docker runtime.</summary>
[RequiresDocker]
public sealed class DockerAgentScaleAndIsolationTests : IAsyncLifetime
{
    private DockerAgentHarness _h = null!;
    private TestServer _server = null!;

    private string Name => _h.Name;

    public async Task InitializeAsync()
    {
        _h = await DockerAgentHarness.CreateAsync();
        _server = await _h.StartServerAsync();
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Reconcile_SecondServerOnSameEngine_LeavesTheFirstServersContainerAlone()
    {
        var other = await _h.StartServerAsync();
        DockerAgentHarness.OwnerOf(other).ShouldNotBe(DockerAgentHarness.OwnerOf(_server));
        await _server.ApplyAsync(_h.EchoSpec());
        var instanceId = (await _server.WaitRunningAsync(Name)).Instances.Single().Id;
        var containerId = (await _h.InspectAsync(instanceId)).Id;

        // Each pass of the other server ends with a publish; of three counted from here, at least the last two began after the
        // container ran, so they listed it, saw it as not their own and (orphans are removed before publishing) left it alone.
        var passes = 0;
        void Count() => Interlocked.Increment(ref passes);
        var routes = other.Server.Services.GetRequiredService<InstanceDirectory>();
        routes.Published += Count;
        try
        {
            await Eventually.TrueAsync(() => Volatile.Read(ref passes) >= 3, "three reconciler passes of the other server");
        }
        finally
        {
            routes.Published -= Count;
        }

        var container = await _h.InspectAsync(instanceId);
        container.Id.ShouldBe(containerId);
        container.State.Running.ShouldBeTrue();
        container.Config.Labels!.GetValueOrDefault("berth.owner").ShouldBe(DockerAgentHarness.OwnerOf(_server));
        (await _server.GetAsync(Name)).Instances.Single().RestartCount.ShouldBe(0);
        (await other.Http.GetFromJsonAsync<List<AgentView>>("/api/v1/agents", BerthJson.Options, TestTimeouts.Token()))!.ShouldBeEmpty();
    }

    [Fact]
    public async Task Delete_SameAgentNameOnTwoServers_RemovesOnlyTheDeletingServersObjects()
    {
        var other = await _h.StartServerAsync();
        await _server.ApplyAsync(_h.EchoSpec());
        await other.ApplyAsync(_h.EchoSpec());
        await _server.WaitRunningAsync(Name);
        var kept = (await other.WaitRunningAsync(Name)).Instances.Single().Id;
        (await _h.ContainersAsync()).Count.ShouldBe(2);

        using var response = await _server.Http.DeleteAsync($"/api/v1/agents/{Name}?wait=20s", TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _h.ContainersAsync()).ShouldHaveSingleItem().Labels!.GetValueOrDefault("berth.instance").ShouldBe(kept);
        (await _h.InspectAsync(kept)).State.Running.ShouldBeTrue();
        (await _h.NetworksAsync()).ShouldHaveSingleItem().Labels!.GetValueOrDefault("berth.owner").ShouldBe(DockerAgentHarness.OwnerOf(other));
        var (status, _) = await _h.EchoAsync(other, "still-here");
        status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Proxy_TwoReplicas_SpreadsRequestsAndSurvivesOneBeingKilled()
    {
        await _server.ApplyAsync(_h.EchoSpec(replicas: 2));
        var view = await _server.WaitForAsync(Name, v => v.State == AgentState.Running && v.ReadyReplicas == 2);
        var ids = view.Instances.Select(i => i.Id).ToList();
        ids.Distinct().Count().ShouldBe(2);
        (await _h.ContainersAsync()).Count.ShouldBe(2);

        var served = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var (status, echo) = await _h.EchoAsync(_server, $"r{i}");
            status.ShouldBe(HttpStatusCode.OK);
            served.Add(echo!.Value.GetProperty("instance").GetString()!);
        }

        served.Distinct().Order().ShouldBe(ids.Order());

        var victim = ids[0];
        await _h.Docker.KillContainerAsync($"berth-{victim}", "SIGKILL", TestTimeouts.Token());
        await _server.WaitForAsync(Name, v => v.Instances.Single(i => i.Id == victim) is var k && (k.State != InstanceState.Running || k.RestartCount == 1));
        for (var i = 0; i < 6; i++)
        {
            var (status, _) = await _h.EchoAsync(_server, $"k{i}");
            status.ShouldBe(HttpStatusCode.OK, "the surviving replica keeps answering while the killed one restarts");
        }

        var recovered = await _server.WaitForAsync(Name, v => v.ReadyReplicas == 2 && v.Instances.Single(i => i.Id == victim).RestartCount == 1);
        recovered.Instances.Single(i => i.Id != victim).RestartCount.ShouldBe(0);
        (await _h.ContainersAsync()).Count.ShouldBe(2);
    }
}
