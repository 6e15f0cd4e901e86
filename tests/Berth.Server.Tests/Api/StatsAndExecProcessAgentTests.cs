using System.Net;
using System.Text.Json;
using Berth.Client;
using Berth.Client.Errors;
using Berth.Client.Exec;
using Berth.Core.Agents;
using Berth.Core.Specs;
using Berth.Server.Tests.Support;
using Berth.Testing;

namespace Berth.Server.Tests.Api;

/// <summary>Stats of a process agent, and every refusal of the exec route, on a real server with the process runtime.</summary>
public sealed class StatsAndExecProcessAgentTests : IAsyncLifetime
{
    private readonly string _name = $"sx-{Guid.NewGuid():N}"[..16];
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        using var created = await _server.ApplyAsync(new AgentSpec { Name = _name, Process = new ProcessSpec { Command = "/bin/sleep", Args = ["300"] } });
        created.EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AgentStats_ProcessAgent_ReportsMemoryAndNullsForWhatAProcessCannotTell()
    {
        // /bin/sleep never answers a health probe: its process runs, which is what stats measure.
        var started = await _server.WaitForAsync(_name, v => v.Instances.Count == 1 && v.Instances[0].State is InstanceState.Starting or InstanceState.Running);
        var instanceId = started.Instances[0].Id;

        using var response = await _server.Http.GetAsync($"/api/v1/agents/{_name}/stats", TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestTimeouts.Token()));
        var instance = document.RootElement.GetProperty("instances").EnumerateArray().ShouldHaveSingleItem();
        instance.GetProperty("instanceId").GetString().ShouldBe(instanceId);
        instance.GetProperty("memoryBytes").GetInt64().ShouldBeGreaterThan(0);
        instance.GetProperty("memoryLimitBytes").ValueKind.ShouldBe(JsonValueKind.Null);
        instance.GetProperty("networkRxBytes").ValueKind.ShouldBe(JsonValueKind.Null);
        instance.GetProperty("networkTxBytes").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task AgentStats_UnknownAgent_Is404()
    {
        using var response = await _server.Http.GetAsync("/api/v1/agents/no-such-agent/stats", TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AllStats_StoppedAgent_IsListedWithoutInstances()
    {
        var stopped = $"st-{Guid.NewGuid():N}"[..16];
        using (var created = await _server.ApplyAsync(new AgentSpec { Name = stopped, Process = new ProcessSpec { Command = "/bin/true" }, Replicas = 0 }))
        {
            created.EnsureSuccessStatusCode();
        }

        using var client = new BerthClient(_server.Server.Address) { Token = _server.AdminToken };
        var all = await client.GetAllStatsAsync(TestTimeouts.Token());

        all.Agents.Single(a => a.Agent == stopped).Instances.ShouldBeEmpty();
    }

    [Fact]
    public async Task Exec_ProcessAgent_IsRefusedSayingWhyAndWhatToDoInstead()
    {
        using var client = new BerthClient(_server.Server.Address) { Token = _server.AdminToken };

        var refused = await Should.ThrowAsync<BerthApiException>(() => client.OpenExecAsync(_name, new ExecOptions { Command = ["id"] }, TestTimeouts.Token()));

        refused.Status.ShouldBe(409);
        refused.Type.ShouldBe("urn:berth:problem:exec-not-supported");
        refused.Detail.ShouldNotBeNull().ShouldContain("runs as a local process");
        refused.Detail.ShouldContain("run the agent from an image");
    }

    [Fact]
    public async Task Exec_UnknownAgent_Is404()
    {
        using var client = new BerthClient(_server.Server.Address) { Token = _server.AdminToken };

        var refused = await Should.ThrowAsync<BerthApiException>(() => client.OpenExecAsync("no-such-agent", new ExecOptions { Command = ["id"] }, TestTimeouts.Token()));

        refused.Status.ShouldBe(404);
    }

    [Theory]
    [InlineData("cmd=ls%0Arm", "control character")]
    [InlineData("instance=x", "cmd is required")]
    [InlineData("cmd=ls&tty=yes", "tty must be true or false")]
    [InlineData("cmd=ls&rows=0&cols=80", "rows and cols")]
    public async Task Exec_BadQuery_Is400SayingWhatIsWrong(string query, string expected)
    {
        using var response = await _server.Http.GetAsync($"/api/v1/agents/{_name}/exec?{query}", TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync(TestTimeouts.Token())).ShouldContain(expected);
    }

    [Fact]
    public async Task Exec_TooManyArguments_Is400()
    {
        var query = string.Join('&', Enumerable.Repeat("cmd=x", 65));

        using var response = await _server.Http.GetAsync($"/api/v1/agents/{_name}/exec?{query}", TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync(TestTimeouts.Token())).ShouldContain("at most 64");
    }
}
