using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Client.Contracts;
using Berth.Core.Serialization;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Berth.Testing.Specs;

namespace Berth.Server.Tests.Workflows;

/// <summary>Bad workflows and bad inputs are refused with errors that name the path, and nothing is stored.</summary>
public sealed class WorkflowApiValidationTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Apply_Cycle_NamesThePathAndStoresNothing()
    {
        var problem = await ApplyAsync("""
            {"name":"loop","steps":[
              {"id":"a","container":{"image":"x","args":["${{ steps.b.stdout }}"]}},
              {"id":"b","dependsOn":["a"],"container":{"image":"x"}}]}
            """);

        problem.ShouldContain("cycle");
        problem.ShouldContain("a → b → a");
        await ShouldNotExistAsync("loop");
    }

    [Fact]
    public async Task Apply_MissingReference_NamesTheStepAndStoresNothing()
    {
        var problem = await ApplyAsync("""
            {"name":"dangling","steps":[{"id":"a","container":{"image":"x","env":{"V":"${{ steps.nope.stdout }}"}}}]}
            """);

        problem.ShouldContain("spec.steps[0].container.env.V");
        problem.ShouldContain("nope");
        await ShouldNotExistAsync("dangling");
    }

    [Fact]
    public async Task Apply_UnknownStepKind_NamesTheFieldAndStoresNothing()
    {
        var problem = await ApplyAsync("""
            {"name":"weird","steps":[{"id":"a","kind":"banana"}]}
            """);

        problem.ShouldContain("spec.steps[0].kind");
        await ShouldNotExistAsync("weird");
    }

    [Fact]
    public async Task Start_InputOfWrongType_NamesTheInputAndStartsNothing()
    {
        (await ApplyRawAsync("""
            {"name":"typed","inputs":{"count":{"type":"number","required":true}},"steps":[{"id":"a","container":{"image":"x"}}]}
            """)).StatusCode.ShouldBe(HttpStatusCode.Created);

        using var response = await _server.Http.PostAsJsonAsync(
            "/api/v1/workflows/typed/runs", new StartRunRequest { Inputs = new JsonObject { ["count"] = "three" } }, BerthJson.Options, TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("inputs.count");
        (await _server.Http.GetFromJsonAsync<List<RunView>>("/api/v1/runs", BerthJson.Options, TestTimeouts.Token()))!.ShouldBeEmpty();
    }

    [Fact]
    public async Task Start_UnknownWorkflow_NotFoundSayingHowToList()
    {
        using var response = await _server.Http.PostAsync("/api/v1/workflows/ghost/runs", null, TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldContain("berth workflows ls");
    }

    private async Task<string> ApplyAsync(string json)
    {
        using var response = await ApplyRawAsync(json);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<HttpResponseMessage> ApplyRawAsync(string json)
    {
        var name = JsonNode.Parse(json)!["name"]!.GetValue<string>();
        return await _server.Http.PutAsync($"/api/v1/workflows/{name}", new StringContent(SpecBodies.Document("Workflow", json), Encoding.UTF8, "application/json"), TestTimeouts.Token());
    }

    private async Task ShouldNotExistAsync(string name)
    {
        using var response = await _server.Http.GetAsync($"/api/v1/workflows/{name}", TestTimeouts.Token());
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
