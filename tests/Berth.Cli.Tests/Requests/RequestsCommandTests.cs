using System.Net;
using System.Text;
using System.Text.Json;
using Berth.Cli.Tests.EndToEnd;
using Berth.Cli.Tests.Infrastructure;
using Berth.Client;
using Berth.Client.Contracts;
using Berth.Core.Agents;
using Berth.Core.Requests;
using Berth.Core.Serialization;
using Berth.Testing;
using Berth.Testing.Agents;

namespace Berth.Cli.Tests.Requests;

/// <summary><c>berth requests …</c> against a real server and a real busybox agent reached through the durable proxy.</summary>
public sealed class RequestsCommandTests(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private readonly BusyboxHttpAgent _agent = new();
    private readonly string _name = $"r{Guid.NewGuid():N}"[..12];
    private BerthClient _client = null!;

    public async Task InitializeAsync()
    {
        _client = new BerthClient(new Uri(server.Url)) { Token = server.AdminToken, PollInterval = TimeSpan.FromMilliseconds(100) };
        var token = TestTimeouts.Token();
        await _client.ApplyAgentAsync(_agent.Spec(_name), token);
        await _client.WaitForAgentAsync(_name, AgentState.Running, TestTimeouts.Slow, null, token);
    }

    public async Task DisposeAsync()
    {
        try
        {
            await _client.RemoveAgentAsync(_name, TimeSpan.FromSeconds(30), TestTimeouts.Token());
        }
        finally
        {
            _client.Dispose();
            _agent.Dispose();
        }
    }

    [Fact]
    public async Task Ls_RequestSentThroughTheProxy_ListedWithItsStateAndRequestLine()
    {
        var id = await CountAsync("hello");

        var table = await RunAsync("requests", "ls", _name);
        var json = await RunAsync("requests", "ls", _name, "-o", "json");

        table.ExitCode.ShouldBe(0, table.ToString());
        table.Out.ShouldContain("LAST FAILURE");
        var row = table.Out.Split('\n').Where(l => l.Contains(id, StringComparison.Ordinal)).ShouldHaveSingleItem();
        row.ShouldContain(_name);
        row.ShouldContain("completed");
        row.ShouldContain("POST /cgi-bin/count");
        row.ShouldContain("200");
        row.ShouldContain("1/");
        json.ExitCode.ShouldBe(0, json.ToString());
        var listed = JsonSerializer.Deserialize<List<RequestView>>(json.Out, BerthJson.Options)!.ShouldHaveSingleItem();
        (listed.Id, listed.State, listed.Status).ShouldBe((id, RequestState.Completed, 200));
    }

    [Fact]
    public async Task Ls_StateFilter_ShowsOnlyRequestsInThatState()
    {
        var completed = await CountAsync("done");
        await StopAgentAsync();
        var queued = await QueueAsync("waiting");

        var accepted = await RunAsync("requests", "ls", _name, "--state", "accepted");
        var finished = await RunAsync("requests", "ls", _name, "--state", "completed", "--since", "10m");

        accepted.ExitCode.ShouldBe(0, accepted.ToString());
        accepted.Out.ShouldContain(queued);
        accepted.Out.ShouldNotContain(completed);
        finished.ExitCode.ShouldBe(0, finished.ToString());
        finished.Out.ShouldContain(completed);
        finished.Out.ShouldNotContain(queued);
    }

    [Fact]
    public async Task Show_CompletedRequest_PrintsTheSentAndStoredResponseBodiesAsText()
    {
        var id = await CountAsync("show-me");

        var result = await RunAsync("requests", "show", id);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Out.ShouldContain("Id:");
        result.Out.ShouldContain(id);
        result.Out.ShouldContain("POST /cgi-bin/count");
        result.Out.ShouldContain("completed");
        result.Out.ShouldContain("Response: 200");
        result.Out.ShouldContain("X-Counted: yes");
        result.Out.ShouldContain("\nshow-me\n");
        result.Out.ShouldContain("\nran show-me\n");
    }

    [Fact]
    public async Task Replay_CompletedRequest_AgentRunsItAgain()
    {
        var id = await CountAsync("again");
        _agent.Runs.ShouldBe(["again"]);

        var result = await RunAsync("requests", "replay", id);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Out.ShouldContain($"request/{id} requeued: accepted");
        await Eventually.TrueAsync(() => _agent.Runs.Count == 2, "the agent to run both requests");
        _agent.Runs.ShouldBe(["again", "again"]);
        await Eventually.TrueAsync(async ct => (await _client.GetRequestAsync(id, ct)).Request.State == RequestState.Completed, $"request {id} to complete");
    }

    [Fact]
    public async Task Purge_CompletedRequests_DeletesThemAndReportsTheCount()
    {
        await CountAsync("one");
        await CountAsync("two");
        await CountAsync("three");

        var result = await RunAsync("requests", "purge", _name, "--state", "completed", "--yes");
        var after = await RunAsync("requests", "ls", _name);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Out.ShouldContain($"3 completed requests of agent {_name} deleted");
        after.ExitCode.ShouldBe(0, after.ToString());
        after.Err.ShouldContain("no requests match");
        (await _client.ListRequestsAsync(_name, cancellationToken: TestTimeouts.Token())).ShouldBeEmpty();
    }

    [Fact]
    public async Task Purge_WithoutYesAndNoTerminal_RefusesAndKeepsTheRequests()
    {
        await CountAsync("kept");

        var result = await RunAsync("requests", "purge", _name, "--state", "completed");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Err.ShouldContain("pass --yes");
        (await _client.ListRequestsAsync(_name, cancellationToken: TestTimeouts.Token())).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Rm_CompletedRequest_DeletesIt_ThenShowSaysNotFound()
    {
        var id = await CountAsync("bye");

        var removed = await RunAsync("requests", "rm", id);
        var shown = await RunAsync("requests", "show", id);

        removed.ExitCode.ShouldBe(0, removed.ToString());
        removed.Out.ShouldContain($"request/{id} deleted");
        shown.ExitCode.ShouldBe(3, shown.ToString());
        shown.Err.ShouldContain($"No request '{id}'");
        shown.Err.ShouldContain("berth requests ls");
    }

    [Theory]
    [InlineData("show")]
    [InlineData("replay")]
    [InlineData("rm")]
    public async Task UnknownId_NotFoundNamingTheIdAndHowToFindOne(string verb)
    {
        var result = await RunAsync("requests", verb, "no-such-request");

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Err.ShouldContain("No request 'no-such-request'");
        result.Err.ShouldContain("berth requests ls");
    }

    [Fact]
    public async Task BadState_UsageErrorListingTheStates_NothingDeleted()
    {
        await CountAsync("stays");

        var ls = await RunAsync("requests", "ls", "--state", "finished");
        var purge = await RunAsync("requests", "purge", _name, "--state", "accepted", "--yes");

        ls.ExitCode.ShouldBe(2, ls.ToString());
        ls.Err.ShouldContain("--state must be one of accepted, dispatched, retrying, completed, dead-lettered; got 'finished'");
        purge.ExitCode.ShouldBe(2, purge.ToString());
        purge.Err.ShouldContain("--state must be one of completed, dead-lettered; got 'accepted'");
        (await _client.ListRequestsAsync(_name, cancellationToken: TestTimeouts.Token())).Count.ShouldBe(1);
    }

    [Fact]
    public async Task ReplayAndRm_RequestStillQueued_RefusedWithTheReason()
    {
        await StopAgentAsync();
        var id = await QueueAsync("pending");

        var replay = await RunAsync("requests", "replay", id);
        var rm = await RunAsync("requests", "rm", id);

        replay.ExitCode.ShouldBe(1, replay.ToString());
        replay.Err.ShouldContain("is accepted");
        rm.ExitCode.ShouldBe(1, rm.ToString());
        rm.Err.ShouldContain("only completed and dead-lettered requests can be deleted");
        _agent.Runs.ShouldBeEmpty();
    }

    [Fact]
    public async Task Proxy_QueuedRequestAnswered202_CarriesBerthRequestId()
    {
        // docs/requests.md: "Every answer carries Berth-Request-Id"; a 202 once had only Location, so a caller could not name its request.
        await StopAgentAsync();

        using var response = await SendAsync("tagged", wait: "0s");

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        response.Headers.TryGetValues("Berth-Request-Id", out var ids).ShouldBeTrue("a 202 from the durable proxy has no Berth-Request-Id header");
        ids.ShouldHaveSingleItem().ShouldBe(response.Headers.Location!.OriginalString.Split('/')[^1]);
    }

    private Task<CliResult> RunAsync(params string[] args) =>
        new CliHarness().RunAsync([.. args, "--server", server.Url, "--token", server.AdminToken]);

    /// <summary>Runs /cgi-bin/count through the proxy and returns the stored request's id.</summary>
    private async Task<string> CountAsync(string body)
    {
        using var response = await SendAsync(body, wait: null);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(TestTimeouts.Token())).ShouldBe($"ran {body}\n");
        return response.Headers.GetValues("Berth-Request-Id").Single();
    }

    /// <summary>Sends a request the stopped agent cannot take: the answer is 202 and the request stays accepted.</summary>
    private async Task<string> QueueAsync(string body)
    {
        using var response = await SendAsync(body, wait: "0s");
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var location = response.Headers.Location!.OriginalString;
        location.ShouldStartWith("/api/v1/requests/");
        return location["/api/v1/requests/".Length..];
    }

    private async Task<HttpResponseMessage> SendAsync(string body, string? wait)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "cgi-bin/count") { Content = new StringContent(body, Encoding.UTF8, "text/plain") };
        if (wait is not null)
        {
            request.Headers.Add("Berth-Wait", wait);
        }

        return await _client.CallAgentAsync(_name, request, TestTimeouts.Token());
    }

    private async Task StopAgentAsync()
    {
        var token = TestTimeouts.Token();
        await _client.StopAgentAsync(_name, token);
        await _client.WaitForAgentAsync(_name, v => v.Instances.All(i => i.State != InstanceState.Running), TestTimeouts.Slow, null, token);
    }
}
