using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Berth.Client.Contracts;
using Berth.Core.Agents;
using Berth.Core.Serialization;
using Berth.Core.Storage;
using Berth.Server.Tests.Support;
using Berth.Testing;

namespace Berth.Server.Tests.Lifecycle;

/// <summary>The whole agent lifecycle on a real server with the process runtime and a real busybox httpd agent.</summary>
public sealed class ProcessAgentLifecycleTests : IAsyncLifetime
{
    private readonly BusyboxHttpAgent _agent = new();
    private readonly string _name = $"p{Guid.NewGuid():N}"[..12];
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _agent.Dispose();
    }

    [Fact]
    public async Task Apply_ProcessAgent_BecomesHealthyAndAnswersThroughProxy()
    {
        using var created = await _server.ApplyAsync(_agent.Spec(_name));
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await created.Content.ReadFromJsonAsync<ApplyResponse>(BerthJson.Options))!.Outcome.ShouldBe(ApplyOutcome.Created);

        var view = await _server.WaitRunningAsync(_name);
        view.ReadyReplicas.ShouldBe(1);
        view.Runtime.ShouldBe("process");

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/agents/{_name}/cgi-bin/echo?q=1") { Content = new StringContent("payload") };
        request.Headers.Add("X-Test", "through-berth");
        using var response = await _server.Http.SendAsync(request, TestTimeouts.Token());
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        body.Trim().ShouldBe("POST /cgi-bin/echo?q=1 through-berth payload");
        response.Headers.GetValues("X-Agent").ShouldBe([_name]);

        (await _server.Http.GetStringAsync($"/agents/{_name}", TestTimeouts.Token())).ShouldBe(BusyboxHttpAgent.IndexPage, "the agent's root without a trailing slash");
        (await _server.Http.GetStringAsync($"/agents/{_name}/", TestTimeouts.Token())).ShouldBe(BusyboxHttpAgent.IndexPage);

        using var again = await _server.ApplyAsync(_agent.Spec(_name));
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await again.Content.ReadFromJsonAsync<ApplyResponse>(BerthJson.Options))!.Outcome.ShouldBe(ApplyOutcome.Unchanged);
    }

    [Fact]
    public async Task Reconciler_AgentProcessKilled_RestartsIt()
    {
        await _server.ApplyAsync(_agent.Spec(_name));
        await _server.WaitRunningAsync(_name);
        var pid = Processes.WithCommandLineContaining(_agent.Root).ShouldHaveSingleItem();

        Process.GetProcessById(pid).Kill();

        var recovered = await _server.WaitForAsync(_name, v => v.State == AgentState.Running && v.Instances.Single().RestartCount == 1);
        recovered.Instances.Single().State.ShouldBe(InstanceState.Running);
        Processes.WithCommandLineContaining(_agent.Root).ShouldHaveSingleItem().ShouldNotBe(pid);
        using var response = await _server.Http.GetAsync($"/agents/{_name}/health", TestTimeouts.Token());
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var events = await _server.Http.GetFromJsonAsync<List<AgentEvent>>($"/api/v1/agents/{_name}/events", BerthJson.Options);
        events!.Select(e => e.Reason).ShouldContain("Exited");
        events!.Select(e => e.Reason).ShouldContain("Restarted");
    }

    [Fact]
    public async Task Proxy_ReplicaKilledBeforeTheReconcilerNotices_FailsOverToTheOther()
    {
        await _server.ApplyAsync(_agent.Spec(_name, replicas: 2));
        await _server.WaitForAsync(_name, v => v.ReadyReplicas == 2);
        var victim = Processes.WithCommandLineContaining(_agent.Root)[0];

        Process.GetProcessById(victim).Kill();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await _server.Http.GetAsync($"/agents/{_name}/health", TestTimeouts.Token());
            statuses.Add(response.StatusCode);
        }

        statuses.ShouldAllBe(s => s == HttpStatusCode.OK);
    }

    [Fact]
    public async Task Restart_Server_ReadoptsRunningAgentWithoutDuplicate()
    {
        await _server.ApplyAsync(_agent.Spec(_name));
        var before = await _server.WaitRunningAsync(_name);
        var pid = Processes.WithCommandLineContaining(_agent.Root).ShouldHaveSingleItem();

        await _server.RestartAsync();

        var after = await _server.WaitRunningAsync(_name);
        after.Instances.ShouldHaveSingleItem().Id.ShouldBe(before.Instances.Single().Id);
        after.Instances.Single().RestartCount.ShouldBe(0);
        Processes.WithCommandLineContaining(_agent.Root).ShouldBe([pid]);
        using var response = await _server.Http.GetAsync($"/agents/{_name}/health", TestTimeouts.Token());
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task StopStartRestart_ChangeWhatRuns()
    {
        await _server.ApplyAsync(_agent.Spec(_name));
        var first = (await _server.WaitRunningAsync(_name)).Instances.Single().Id;

        (await _server.Http.PostAsync($"/api/v1/agents/{_name}/stop", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await _server.WaitForAsync(_name, v => v.State == AgentState.Stopped && v.Instances.All(i => i.State == InstanceState.Stopped));
        await WaitUntilAsync(() => Processes.WithCommandLineContaining(_agent.Root).Count == 0);
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/agents/{_name}/health") { Headers = { { "Berth-Wait", "0s" } } })
        using (var stopped = await _server.Http.SendAsync(request, TestTimeouts.Token()))
        {
            // persistence is on by default: the request is kept for when the agent runs again
            stopped.StatusCode.ShouldBe(HttpStatusCode.Accepted);
            stopped.Headers.Location!.ToString().ShouldStartWith("/api/v1/requests/");
        }

        (await _server.Http.PostAsync($"/api/v1/agents/{_name}/start", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _server.WaitRunningAsync(_name)).Instances.Single().Id.ShouldBe(first);

        (await _server.Http.PostAsync($"/api/v1/agents/{_name}/restart", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var replaced = await _server.WaitForAsync(_name, v => v.State == AgentState.Running && v.Instances.Single().Id != first);
        replaced.Generation.ShouldBe(2);
    }

    [Fact]
    public async Task Delete_Agent_LeavesNothingBehind()
    {
        await _server.ApplyAsync(_agent.Spec(_name, replicas: 2));
        await _server.WaitRunningAsync(_name);
        Processes.WithCommandLineContaining(_agent.Root).Count.ShouldBe(2);

        using var response = await _server.Http.DeleteAsync($"/api/v1/agents/{_name}", TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync<RemoveResponse>(BerthJson.Options))!.Completed.ShouldBeTrue();
        Processes.WithCommandLineContaining(_agent.Root).ShouldBeEmpty();
        (await _server.Http.GetAsync($"/api/v1/agents/{_name}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _server.Http.GetAsync($"/agents/{_name}/health")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        Directory.EnumerateDirectories(Path.Combine(_server.DataDir, "process")).ShouldNotContain(d => Path.GetFileName(d).StartsWith(_name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Logs_FollowedStream_DeliversLinesWrittenLater()
    {
        await _server.ApplyAsync(_agent.Spec(_name));
        await _server.WaitRunningAsync(_name);
        var marker = Guid.NewGuid().ToString("N");

        var (entry, contentType) = await LogFollower.WaitForLineAsync(
            _server.Http,
            $"/api/v1/agents/{_name}/logs?follow=true&tail=0",
            async ct => (await _server.Http.GetAsync($"/agents/{_name}/cgi-bin/echo?{marker}", ct)).EnsureSuccessStatusCode(),
            e => e.Line.Contains(marker, StringComparison.Ordinal),
            TestTimeouts.Token());

        contentType.ShouldBe("application/x-ndjson");
        entry.Source.ShouldBe(Core.Runtime.LogSource.Stderr);
        entry.InstanceId.ShouldStartWith(_name);
    }

    [Fact]
    public async Task Proxy_StreamingResponse_FirstBytesArriveBeforeTheAgentFinishes()
    {
        var script = Path.Combine(_agent.Root, "cgi-bin", "stream");
        await File.WriteAllTextAsync(script, "#!/bin/sh\nprintf 'Content-Type: text/event-stream\\r\\n\\r\\n'\necho 'data: first'\necho\nsleep 3\necho 'data: second'\necho\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await _server.ApplyAsync(_agent.Spec(_name));
        await _server.WaitRunningAsync(_name);

        var clock = Stopwatch.StartNew();
        using var response = await _server.Http.GetAsync($"/agents/{_name}/cgi-bin/stream", HttpCompletionOption.ResponseHeadersRead, TestTimeouts.Token());
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await reader.ReadLineAsync(TestTimeouts.Token());
        var firstAt = clock.Elapsed;
        var rest = await reader.ReadToEndAsync(TestTimeouts.Token());

        first.ShouldBe("data: first");
        firstAt.ShouldBeLessThan(TimeSpan.FromSeconds(2.5), "the first event must not wait for the agent's 3 s pause");
        rest.ShouldContain("data: second");
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Slow;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("condition not met in time");
            }

            await Task.Delay(100);
        }
    }
}
