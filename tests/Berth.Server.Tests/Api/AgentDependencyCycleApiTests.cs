using System.Net;
using System.Text.Json.Nodes;
using Berth.Core.Specs;
using Berth.Server.Tests.Support;
using Berth.Testing;

namespace Berth.Server.Tests.Api;

/// <summary>A dependsOn cycle is refused at apply time against the stored agents (400 naming it), before whether the agent can run here (409).</summary>
public sealed class AgentDependencyCycleApiTests : IAsyncLifetime
{
    private readonly string _prefix = $"d{Guid.NewGuid():N}"[..10];
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    // Replicas 0: nothing starts, the test sees only what is stored.
    private static AgentSpec Process(string name, params string[] dependsOn) =>
        new() { Name = name, Process = new ProcessSpec { Command = "/bin/true" }, Replicas = 0, DependsOn = dependsOn };

    private async Task<(HttpStatusCode Status, JsonNode Problem)> ApplyAsync(AgentSpec spec)
    {
        using var response = await _server.ApplyAsync(spec);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(TestTimeouts.Token()))!);
    }

    [Fact]
    public async Task Apply_OneAtATime_TheAgentClosingTheCycleIs400NamingIt()
    {
        var (a, b, c) = ($"{_prefix}-a", $"{_prefix}-b", $"{_prefix}-c");
        (await ApplyAsync(Process(a, b))).Status.ShouldBe(HttpStatusCode.Created, "naming an agent not defined yet stays legal");
        (await ApplyAsync(Process(b, c))).Status.ShouldBe(HttpStatusCode.Created);

        var (status, problem) = await ApplyAsync(Process(c, "unrelated", a));

        status.ShouldBe(HttpStatusCode.BadRequest, problem.ToJsonString());
        var error = problem["errors"]!.AsArray().ShouldHaveSingleItem()!;
        error["path"]!.GetValue<string>().ShouldBe("spec.dependsOn[1]");
        error["message"]!.GetValue<string>().ShouldStartWith($"dependsOn cycle {c} → {a} → {b} → {c};");
        (await _server.Http.GetAsync($"/api/v1/agents/{c}", TestTimeouts.Token())).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Apply_UpdateThatClosesACycle_Is400AndKeepsTheStoredSpec()
    {
        var (a, b) = ($"{_prefix}-a", $"{_prefix}-b");
        (await ApplyAsync(Process(a))).Status.ShouldBe(HttpStatusCode.Created);
        (await ApplyAsync(Process(b, a))).Status.ShouldBe(HttpStatusCode.Created);

        var (status, problem) = await ApplyAsync(Process(a, b));

        status.ShouldBe(HttpStatusCode.BadRequest, problem.ToJsonString());
        problem["errors"]![0]!["message"]!.GetValue<string>().ShouldStartWith($"dependsOn cycle {a} → {b} → {a};");
        (await _server.GetAsync(a)).Spec.DependsOn.ShouldBeEmpty();
    }

    [Fact]
    public async Task Apply_CycleThroughAnAgentThatCannotRunHere_Is400Not409()
    {
        var (a, b) = ($"{_prefix}-a", $"{_prefix}-b");
        (await ApplyAsync(Process(a, b))).Status.ShouldBe(HttpStatusCode.Created);

        // A container agent on a server with only the process runtime would be a 409; the cycle is the spec's fault first.
        var (status, problem) = await ApplyAsync(new AgentSpec { Name = b, Image = "local/echo:1", Replicas = 0, DependsOn = [a] });

        status.ShouldBe(HttpStatusCode.BadRequest, problem.ToJsonString());
        problem["errors"]![0]!["message"]!.GetValue<string>().ShouldStartWith($"dependsOn cycle {b} → {a} → {b};");
    }

    [Fact]
    public async Task Apply_AfterTheOtherAgentIsRemoved_IsAccepted()
    {
        var (a, b) = ($"{_prefix}-a", $"{_prefix}-b");
        (await ApplyAsync(Process(a, b))).Status.ShouldBe(HttpStatusCode.Created);
        (await _server.Http.DeleteAsync($"/api/v1/agents/{a}", TestTimeouts.Token())).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await ApplyAsync(Process(b, a))).Status.ShouldBe(HttpStatusCode.Created);
    }
}
