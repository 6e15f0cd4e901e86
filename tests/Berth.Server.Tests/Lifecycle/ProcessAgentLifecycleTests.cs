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
using Berth.Testing.Agents;

namespace Berth.Server.Tests.Lifecycle;

/// <summary>The whole agent lifecycle on a real server with the process runtime and a real busybox httpd agent.</summary>
public sealed class ProcessAgentLifecycleTests : BusyboxAgentServerTests
{
    [Fact]
    public async Task Apply_ProcessAgent_BecomesHealthyAndAnswersThroughProxy()
    {
        using var created = await Server.ApplyAsync(Agent.Spec(Name));
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await created.Content.ReadFromJsonAsync<ApplyResponse>(BerthJson.Options))!.Outcome.ShouldBe(ApplyOutcome.Created);

        var view = await Server.WaitRunningAsync(Name);
        view.ReadyReplicas.ShouldBe(1);
        view.Runtime.ShouldBe("process");

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/agents/{Name}/cgi-bin/echo?q=1") { Content = new StringContent("payload") };
        request.Headers.Add("X-Test", "through-berth");
        using var response = await Server.Http.SendAsync(request, TestTimeouts.Token());
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        body.Trim().ShouldBe("POST /cgi-bin/echo?q=1 through-berth payload");
        response.Headers.GetValues("X-Agent").ShouldBe([Name]);

        (await Server.Http.GetStringAsync($"/agents/{Name}", TestTimeouts.Token())).ShouldBe(BusyboxHttpAgent.IndexPage, "the agent's root without a trailing slash");
        (await Server.Http.GetStringAsync($"/agents/{Name}/", TestTimeouts.Token())).ShouldBe(BusyboxHttpAgent.IndexPage);

        using var again = await Server.ApplyAsync(Agent.Spec(Name));
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await again.Content.ReadFromJsonAsync<ApplyResponse>(BerthJson.Options))!.Outcome.ShouldBe(ApplyOutcome.Unchanged);
    }

    [Fact]
    public async Task Reconciler_AgentProcessKilled_RestartsIt()
    {
        await Server.ApplyAsync(Agent.Spec(Name));
        await Server.WaitRunningAsync(Name);
        var pid = Processes.WithCommandLineContaining(Agent.Root).ShouldHaveSingleItem();

        Process.GetProcessById(pid).Kill();

        var recovered = await Server.WaitForAsync(Name, v => v.State == AgentState.Running && v.Instances.Single().RestartCount == 1);
        recovered.Instances.Single().State.ShouldBe(InstanceState.Running);
        Processes.WithCommandLineContaining(Agent.Root).ShouldHaveSingleItem().ShouldNotBe(pid);
        using var response = await Server.Http.GetAsync($"/agents/{Name}/health", TestTimeouts.Token());
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var events = await Server.Http.GetFromJsonAsync<List<AgentEvent>>($"/api/v1/agents/{Name}/events", BerthJson.Options);
        events!.Select(e => e.Reason).ShouldContain("Exited");
        events!.Select(e => e.Reason).ShouldContain("Restarted");
    }

    [Fact]
    public async Task Proxy_ReplicaKilledBeforeTheReconcilerNotices_FailsOverToTheOther()
    {
        await Server.ApplyAsync(Agent.Spec(Name, replicas: 2));
        await Server.WaitForAsync(Name, v => v.ReadyReplicas == 2);
        var victim = Processes.WithCommandLineContaining(Agent.Root)[0];

        Process.GetProcessById(victim).Kill();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await Server.Http.GetAsync($"/agents/{Name}/health", TestTimeouts.Token());
            statuses.Add(response.StatusCode);
        }

        statuses.ShouldAllBe(s => s == HttpStatusCode.OK);
    }

    [Fact]
    public async Task Restart_Server_ReadoptsRunningAgentWithoutDuplicate()
    {
        await Server.ApplyAsync(Agent.Spec(Name));
        var before = await Server.WaitRunningAsync(Name);
        var pid = Processes.WithCommandLineContaining(Agent.Root).ShouldHaveSingleItem();

        await Server.RestartAsync();

        var after = await Server.WaitRunningAsync(Name);
        after.Instances.ShouldHaveSingleItem().Id.ShouldBe(before.Instances.Single().Id);
        after.Instances.Single().RestartCount.ShouldBe(0);
        Processes.WithCommandLineContaining(Agent.Root).ShouldBe([pid]);
        using var response = await Server.Http.GetAsync($"/agents/{Name}/health", TestTimeouts.Token());
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task StopStartRestart_ChangeWhatRuns()
    {
        await Server.ApplyAsync(Agent.Spec(Name));
        var first = (await Server.WaitRunningAsync(Name)).Instances.Single().Id;

        (await Server.Http.PostAsync($"/api/v1/agents/{Name}/stop", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Server.WaitForAsync(Name, v => v.State == AgentState.Stopped && v.Instances.All(i => i.State == InstanceState.Stopped));
        await Eventually.TrueAsync(() => Processes.WithCommandLineContaining(Agent.Root).Count == 0, "the agent's processes gone");
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/agents/{Name}/health") { Headers = { { "Berth-Wait", "0s" } } })
        using (var stopped = await Server.Http.SendAsync(request, TestTimeouts.Token()))
        {
            // persistence is on by default: the request is kept for when the agent runs again
            stopped.StatusCode.ShouldBe(HttpStatusCode.Accepted);
            stopped.Headers.Location!.ToString().ShouldStartWith("/api/v1/requests/");
        }

        (await Server.Http.PostAsync($"/api/v1/agents/{Name}/start", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Server.WaitRunningAsync(Name)).Instances.Single().Id.ShouldBe(first);

        (await Server.Http.PostAsync($"/api/v1/agents/{Name}/restart", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var replaced = await Server.WaitForAsync(Name, v => v.State == AgentState.Running && v.Instances.Single().Id != first);
        replaced.Generation.ShouldBe(2);
    }

    [Fact]
    public async Task Delete_Agent_LeavesNothingBehind()
    {
        await Server.ApplyAsync(Agent.Spec(Name, replicas: 2));
        await Server.WaitRunningAsync(Name);
        Processes.WithCommandLineContaining(Agent.Root).Count.ShouldBe(2);

        using var response = await Server.Http.DeleteAsync($"/api/v1/agents/{Name}", TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync<RemoveResponse>(BerthJson.Options))!.Completed.ShouldBeTrue();
        Processes.WithCommandLineContaining(Agent.Root).ShouldBeEmpty();
        (await Server.Http.GetAsync($"/api/v1/agents/{Name}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Server.Http.GetAsync($"/agents/{Name}/health")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        Directory.EnumerateDirectories(Path.Combine(Server.DataDir, "process")).ShouldNotContain(d => Path.GetFileName(d).StartsWith(Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Logs_FollowedStream_DeliversLinesWrittenLater()
    {
        await Server.ApplyAsync(Agent.Spec(Name));
        await Server.WaitRunningAsync(Name);
        var marker = Guid.NewGuid().ToString("N");

        var (entry, contentType) = await LogFollower.WaitForLineAsync(
            Server.Http,
            $"/api/v1/agents/{Name}/logs?follow=true&tail=0",
            async ct => (await Server.Http.GetAsync($"/agents/{Name}/cgi-bin/echo?{marker}", ct)).EnsureSuccessStatusCode(),
            e => e.Line.Contains(marker, StringComparison.Ordinal),
            TestTimeouts.Token());

        contentType.ShouldBe("application/x-ndjson");
        entry.Source.ShouldBe(Core.Runtime.LogSource.Stderr);
        entry.InstanceId.ShouldStartWith(Name);
    }

    [Fact]
    public async Task Proxy_StreamingResponse_FirstBytesArriveBeforeTheAgentFinishes()
    {
        // The agent sends its second event only once the test has read the first, so a proxy that buffered the response
        // until the agent finished would never deliver the first: the read below would time out.
        var gate = Path.Combine(Agent.Root, $"gate-{Guid.NewGuid():N}");
        var script = Path.Combine(Agent.Root, "cgi-bin", "stream");
        AgentFiles.WriteScript(
            script,
            $"#!/bin/sh\nprintf 'Content-Type: text/event-stream\\r\\n\\r\\n'\necho 'data: first'\necho\nwhile [ ! -e {gate} ]; do sleep 0.05; done\necho 'data: second'\necho");
        await Server.ApplyAsync(Agent.Spec(Name));
        await Server.WaitRunningAsync(Name);

        using var response = await Server.Http.GetAsync($"/agents/{Name}/cgi-bin/stream", HttpCompletionOption.ResponseHeadersRead, TestTimeouts.Token());
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await reader.ReadLineAsync(TestTimeouts.Token());
        await File.WriteAllTextAsync(gate, "", TestTimeouts.Token());
        var rest = await reader.ReadToEndAsync(TestTimeouts.Token());

        first.ShouldBe("data: first");
        rest.ShouldContain("data: second");
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
    }

}
