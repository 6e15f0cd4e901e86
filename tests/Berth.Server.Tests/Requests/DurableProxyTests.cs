using System.Net;
using System.Net.Http.Json;
using System.Text;
using Berth.Client.Contracts;
using Berth.Core.Requests;
using Berth.Core.Serialization;
using Berth.Server.Tests.Requests.Support;
using Berth.Server.Tests.Support;
using Berth.Testing;

namespace Berth.Server.Tests.Requests;

/// <summary>The durable proxy against a real server and a real process agent (busybox httpd with a counting CGI script).</summary>
public sealed class DurableProxyTests : BusyboxAgentServerTests
{
    [Fact]
    public async Task IdempotencyKey_FiveConcurrentThenFiveLater_AgentRunsOnce_EveryCallerGetsTheSameBody()
    {
        await StartAgentAsync();

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => CountAsync("key-1", "job")));
        var later = new List<(HttpStatusCode Status, string Body, bool Replayed)>();
        for (var i = 0; i < 5; i++)
        {
            later.Add(await CountAsync("key-1", "job"));
        }

        Agent.Executions.ShouldBe(1);
        concurrent.Concat(later).ShouldAllBe(r => r.Status == HttpStatusCode.OK && r.Body == "ran job\n");
        later.ShouldAllBe(r => r.Replayed);
        concurrent.Count(r => !r.Replayed).ShouldBe(1);
    }

    [Fact]
    public async Task IdempotencyKey_ReusedWithAnotherBody_422NamingTheKey()
    {
        await StartAgentAsync();
        (await CountAsync("key-2", "first")).Status.ShouldBe(HttpStatusCode.OK);

        using var response = await SendCountAsync("key-2", "second", wait: null);

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await response.Content.ReadAsStringAsync(TestTimeouts.Token())).ShouldContain("Idempotency-Key 'key-2' was already used");
        Agent.Executions.ShouldBe(1);
    }

    [Fact]
    public async Task IdempotencyKey_AgentRepeatsAnOperatorsKeyAndBody_RunsItsOwnRequest_NeverGetsTheOperatorsResponse()
    {
        await StartAgentAsync();
        using var operatorHttp = Server.CreateHttp((await Security.TokenRequests.CreateAsync(Server, "operator")).Token);
        using var agentHttp = Server.CreateHttp(await AgentTokens.CreateAsync(Server, $"c{Guid.NewGuid():N}"[..12], mayCall: Name));

        var first = await CountAsync(operatorHttp, "shared-key", "job");
        var repeated = await CountAsync(agentHttp, "shared-key", "job");

        first.Status.ShouldBe(HttpStatusCode.OK);
        repeated.Status.ShouldBe(HttpStatusCode.OK);
        repeated.Replayed.ShouldBeFalse("a key belongs to the caller that used it; another caller's request is its own");
        Agent.Executions.ShouldBe(2);
        (await CountAsync(agentHttp, "shared-key", "job")).Replayed.ShouldBeTrue("the agent's own repeat is still deduplicated");
        Agent.Executions.ShouldBe(2);
    }

    [Fact]
    public async Task IdempotencyKey_AgentUsedItFirst_OperatorsRequestWithTheSameKeyStillRuns()
    {
        await StartAgentAsync();
        using var operatorHttp = Server.CreateHttp((await Security.TokenRequests.CreateAsync(Server, "operator")).Token);
        using var agentHttp = Server.CreateHttp(await AgentTokens.CreateAsync(Server, $"c{Guid.NewGuid():N}"[..12], mayCall: Name));

        var squatted = await CountAsync(agentHttp, "taken-key", "agent");
        var real = await CountAsync(operatorHttp, "taken-key", "operator");

        squatted.Status.ShouldBe(HttpStatusCode.OK);
        real.Status.ShouldBe(HttpStatusCode.OK, real.Body);
        real.Body.ShouldBe("ran operator\n");
        Agent.Runs.ShouldBe(["agent", "operator"]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Body_OverTheDurableLimit_413NamingTheLimit_NothingStoredOrRun(bool withLength)
    {
        await StartAgentAsync();
        var body = new byte[(8 * 1024 * 1024) + 1];
        HttpContent content = withLength ? new ByteArrayContent(body) : new StreamContent(new UnseekableStream(body));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/agents/{Name}/cgi-bin/count") { Content = content };

        using var response = await Server.Http.SendAsync(request, TestTimeouts.Token());

        var text = await response.Content.ReadAsStringAsync(TestTimeouts.Token());
        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge, text);
        text.ShouldContain("8 MiB");
        text.ShouldContain("Berth:Requests:MaxDurableBodyBytes");
        var stored = await Server.Http.GetFromJsonAsync<List<RequestView>>($"/api/v1/requests?agent={Name}", BerthJson.Options, TestTimeouts.Token());
        stored.ShouldBeEmpty();
        Agent.Executions.ShouldBe(0);
    }

    [Fact]
    public async Task AgentStopped_CallerGets202WithLocation_RequestRunsWhenItStarts_ResponseIsStored()
    {
        await StartAgentAsync();
        (await Server.Http.PostAsync($"/api/v1/agents/{Name}/stop", null, TestTimeouts.Token())).EnsureSuccessStatusCode();
        await Server.WaitForAsync(Name, v => v.Instances.All(i => i.State != Core.Agents.InstanceState.Running));

        using var accepted = await SendCountAsync(null, "queued", wait: "1s");

        accepted.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var location = accepted.Headers.Location!.ToString();
        location.ShouldStartWith("/api/v1/requests/");
        Agent.Executions.ShouldBe(0);
        (await Server.Http.PostAsync($"/api/v1/agents/{Name}/start", null, TestTimeouts.Token())).EnsureSuccessStatusCode();
        var detail = await WaitForStateAsync(location, RequestState.Completed);
        detail.Response!.Status.ShouldBe(200);
        detail.Response.Message.Body.ShouldBe("ran queued\n");
        detail.Sent.Body.ShouldBe("queued");
        Agent.Executions.ShouldBe(1);
    }

    [Fact]
    public async Task AgentNeverStarted_RequestIsQueued_RunsOnceTheSpecIsFixed()
    {
        var good = Agent.Spec(Name);
        var broken = good with { Process = good.Process! with { Command = "/nonexistent/agent" } };
        (await Server.ApplyAsync(broken)).EnsureSuccessStatusCode();

        using var accepted = await SendCountAsync(null, "early", wait: "1s");

        accepted.StatusCode.ShouldBe(HttpStatusCode.Accepted, await accepted.Content.ReadAsStringAsync(TestTimeouts.Token()));
        (await Server.ApplyAsync(good)).EnsureSuccessStatusCode();
        var detail = await WaitForStateAsync(accepted.Headers.Location!.ToString(), RequestState.Completed);
        detail.Response!.Message.Body.ShouldBe("ran early\n");
        Agent.Executions.ShouldBe(1);
    }

    [Fact]
    public async Task SpoofedInternalHeaders_AreNotForwardedOrTrusted()
    {
        await StartAgentAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/agents/{Name}/cgi-bin/count") { Content = new StringContent("spoof") };
        request.Headers.TryAddWithoutValidation("Berth-Replayed", "true");
        request.Headers.TryAddWithoutValidation("Berth-Request-Id", "0000");

        using var response = await Server.Http.SendAsync(request, TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.Contains("Berth-Replayed").ShouldBeFalse();
        var id = response.Headers.GetValues("Berth-Request-Id").ShouldHaveSingleItem();
        id.ShouldNotBe("0000");
        var stored = await Server.Http.GetFromJsonAsync<RequestDetail>($"/api/v1/requests/{id}", BerthJson.Options, TestTimeouts.Token());
        stored!.Sent.Headers.ShouldNotContain(h => h.Key.StartsWith("Berth-", StringComparison.OrdinalIgnoreCase));
        stored.Sent.Headers.ShouldNotContain(h => h.Key == "Authorization");
    }

    private async Task StartAgentAsync()
    {
        (await Server.ApplyAsync(Agent.Spec(Name))).EnsureSuccessStatusCode();
        await Server.WaitRunningAsync(Name);
    }

    private Task<(HttpStatusCode Status, string Body, bool Replayed)> CountAsync(string key, string body) => CountAsync(Server.Http, key, body);

    private async Task<(HttpStatusCode Status, string Body, bool Replayed)> CountAsync(HttpClient http, string key, string body)
    {
        using var response = await SendCountAsync(http, key, body, wait: null);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestTimeouts.Token()), response.Headers.Contains("Berth-Replayed"));
    }

    private Task<HttpResponseMessage> SendCountAsync(string? key, string body, string? wait) => SendCountAsync(Server.Http, key, body, wait);

    private async Task<HttpResponseMessage> SendCountAsync(HttpClient http, string? key, string body, string? wait)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/agents/{Name}/cgi-bin/count") { Content = new StringContent(body, Encoding.UTF8, "text/plain") };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        if (wait is not null)
        {
            request.Headers.Add("Berth-Wait", wait);
        }

        return await http.SendAsync(request, TestTimeouts.Token());
    }

    private Task<RequestDetail> WaitForStateAsync(string location, RequestState state) =>
        Eventually.MatchAsync(
            async token => (await Server.Http.GetFromJsonAsync<RequestDetail>(location, BerthJson.Options, token))!,
            detail => detail.Request.State == state,
            last => $"{location} did not become {state}; last {last?.Request.State} after {last?.Request.Attempts} attempts");
}
