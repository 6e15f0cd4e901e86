using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Berth.Client.Contracts;
using Berth.Core.Agents;
using Berth.Core.Runtime;
using Berth.Core.Serialization;
using Berth.Core.Specs;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Berth.Testing.Docker;

namespace Berth.Server.Tests.Docker;

/// <summary>The whole agent lifecycle on a real Berth server with the docker runtime and the real engine.</summary>
[RequiresDocker]
public sealed class DockerAgentLifecycleTests : IAsyncLifetime
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
    public async Task Apply_ImageAgent_RunsLabelledOnItsNetworkPublishedOnLoopbackOnly()
    {
        using var created = await _server.ApplyAsync(_h.EchoSpec());
        created.StatusCode.ShouldBe(HttpStatusCode.Created);

        var view = await _server.WaitRunningAsync(Name);
        view.Runtime.ShouldBe("docker");
        var (status, echo) = await _h.EchoAsync(_server, "hello-through-berth");
        status.ShouldBe(HttpStatusCode.OK);
        echo!.Value.GetProperty("body").GetString().ShouldBe("hello-through-berth");
        echo.Value.GetProperty("method").GetString().ShouldBe("POST");

        var instanceId = view.Instances.ShouldHaveSingleItem().Id;
        var container = await _h.InspectAsync(instanceId);
        container.State.Running.ShouldBeTrue();
        container.Config.Labels!.GetValueOrDefault("berth.managed").ShouldBe("true");
        container.Config.Labels!.GetValueOrDefault("berth.owner").ShouldBe(DockerAgentHarness.OwnerOf(_server));
        container.Config.Labels!.GetValueOrDefault("berth.agent").ShouldBe(Name);
        container.Config.Labels!.GetValueOrDefault("berth.instance").ShouldBe(instanceId);
        container.HostConfig!.PortBindings!["8000/tcp"].ShouldAllBe(b => b.HostIp == "127.0.0.1");
        var published = container.NetworkSettings.Ports!["8000/tcp"].ShouldNotBeNull();
        published.ShouldNotBeEmpty();
        published.ShouldAllBe(b => b.HostIp == "127.0.0.1" && b.HostPort.Length > 0);
        var network = $"berth-{Name}-{DockerAgentHarness.OwnerOf(_server)}";
        container.NetworkSettings.Networks!.Keys.ShouldBe([network]);
        (await _h.NetworksAsync()).ShouldHaveSingleItem().Name.ShouldBe(network);
    }

    [Fact]
    public async Task Apply_BuildAgent_IsBuiltByTheEngineAndRuns()
    {
        var context = _h.NewDirectory();
        EchoAgentContext.WriteTo(context);

        using var created = await _server.ApplyAsync(_h.EchoSpec(build: new BuildSpec { Context = context }));
        created.StatusCode.ShouldBe(HttpStatusCode.Created);

        var view = await _server.WaitRunningAsync(Name);
        var container = await _h.InspectAsync(view.Instances.Single().Id);
        container.Config.Image.ShouldStartWith($"berth-build/{Name}:");
        var (status, echo) = await _h.EchoAsync(_server, "built");
        status.ShouldBe(HttpStatusCode.OK);
        echo!.Value.GetProperty("body").GetString().ShouldBe("built");
    }

    [Fact]
    public async Task Reconciler_ContainerKilled_StartsTheSameContainerAgain()
    {
        await _server.ApplyAsync(_h.EchoSpec());
        var instanceId = (await _server.WaitRunningAsync(Name)).Instances.Single().Id;
        var before = await _h.InspectAsync(instanceId);

        await _h.Docker.KillContainerAsync(before.Id, "SIGKILL", TestTimeouts.Token());

        var recovered = await _server.WaitForAsync(Name, v => v.State == AgentState.Running && v.Instances.Single().RestartCount == 1);
        recovered.Instances.Single().Id.ShouldBe(instanceId);
        var after = await _h.InspectAsync(instanceId);
        after.Id.ShouldBe(before.Id);
        after.State.Running.ShouldBeTrue();
        (await _h.ContainersAsync()).ShouldHaveSingleItem();
        using var response = await _server.Http.GetAsync($"/agents/{Name}/health", TestTimeouts.Token());
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var reasons = (await EventsAsync()).Select(e => e.Reason).ToList();
        reasons.ShouldContain("Exited");
        reasons.ShouldContain("Restarted");
    }

    [Fact]
    public async Task Restart_Server_ReadoptsTheRunningContainer()
    {
        await _server.ApplyAsync(_h.EchoSpec());
        var before = (await _server.WaitRunningAsync(Name)).Instances.Single();
        var containerId = (await _h.InspectAsync(before.Id)).Id;

        await DockerAgentHarness.RestartAsync(_server);

        var after = await _server.WaitRunningAsync(Name);
        after.Instances.ShouldHaveSingleItem().Id.ShouldBe(before.Id);
        after.Instances.Single().RestartCount.ShouldBe(0);
        (await _h.ContainersAsync()).ShouldHaveSingleItem().Id.ShouldBe(containerId);

        // the stored view says Running at once; the proxy's routes come with the new server's first pass
        var status = await Eventually.MatchAsync(
            async _ => (await _h.EchoAsync(_server, "after-restart")).Status,
            answer => answer != HttpStatusCode.ServiceUnavailable,
            "the proxy to route to the re-adopted container",
            TestTimeouts.Quick);

        status.ShouldBe(HttpStatusCode.OK);
        (await _server.GetAsync(Name)).Instances.Single().RestartCount.ShouldBe(0);
    }

    [Fact]
    public async Task Delete_Agent_RemovesItsContainersAndNetwork()
    {
        await _server.ApplyAsync(_h.EchoSpec());
        await _server.WaitRunningAsync(Name);
        (await _h.ContainersAsync()).ShouldHaveSingleItem();
        (await _h.NetworksAsync()).ShouldHaveSingleItem();

        using var response = await _server.Http.DeleteAsync($"/api/v1/agents/{Name}", TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync<RemoveResponse>(BerthJson.Options))!.Completed.ShouldBeTrue();
        (await _h.ContainersAsync()).ShouldBeEmpty();
        (await _h.NetworksAsync()).ShouldBeEmpty();
        (await _server.Http.GetAsync($"/api/v1/agents/{Name}", TestTimeouts.Token())).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Logs_TailAndFollow_CarryBothStreamsAndLaterLines()
    {
        await _server.ApplyAsync(_h.EchoSpec());
        await _server.WaitRunningAsync(Name);

        var tail = await _server.Http.GetStringAsync($"/api/v1/agents/{Name}/logs?tail=50", TestTimeouts.Token());
        var entries = tail.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonSerializer.Deserialize<LogEntry>(l, BerthJson.Options)!).ToList();
        entries.ShouldContain(e => e.Source == LogSource.Stdout && e.Line == TestImages.EchoAgentStdoutLine);
        entries.ShouldContain(e => e.Source == LogSource.Stderr && e.Line == TestImages.EchoAgentStderrLine);

        var marker = Guid.NewGuid().ToString("N");
        var (found, contentType) = await LogFollower.WaitForLineAsync(
            _server.Http,
            $"/api/v1/agents/{Name}/logs?follow=true&tail=0",
            async ct => (await _server.Http.PostAsync($"/agents/{Name}/cgi-bin/echo?{marker}", new StringContent("x"), ct)).EnsureSuccessStatusCode(),
            e => e.Line.Contains(marker, StringComparison.Ordinal),
            TestTimeouts.Token());

        contentType.ShouldBe("application/x-ndjson");
        found.Source.ShouldBe(LogSource.Stderr);
        found.InstanceId.ShouldStartWith(Name);
    }

    [Fact]
    public async Task Apply_MissingImage_FailsWithHowToProvideItAndServerKeepsServing()
    {
        const string image = "local/does-not-exist:1";
        (await _server.ApplyAsync(_h.EchoSpec(image: image))).StatusCode.ShouldBe(HttpStatusCode.Created);

        var view = await _server.WaitForAsync(Name, v => v.Instances.Any(i => i.State == InstanceState.Failed));
        view.State.ShouldBe(AgentState.Failed);
        var message = view.Instances.Single().Message.ShouldNotBeNull();
        message.ShouldContain(image);
        message.ShouldContain("docker build");
        message.ShouldContain("import");
        (await EventsAsync()).ShouldContain(e => e.Reason == "Failed" && e.Warning && e.Message.Contains(image, StringComparison.Ordinal));
        (await _server.Http.GetStringAsync("/healthz", TestTimeouts.Token())).ShouldBe("ok");
        (await _server.Http.GetAsync("/api/v1/agents", TestTimeouts.Token())).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _h.ContainersAsync()).ShouldBeEmpty();
    }

    private async Task<List<AgentEvent>> EventsAsync() =>
        (await _server.Http.GetFromJsonAsync<List<AgentEvent>>($"/api/v1/agents/{Name}/events", BerthJson.Options, TestTimeouts.Token()))!;
}
