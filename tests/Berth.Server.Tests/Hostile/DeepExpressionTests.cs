using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Testing;
using Berth.Testing.Specs;

namespace Berth.Server.Tests.Hostile;

/// <summary>
/// Expressions nested deep enough to exhaust the parser's stack. A stack overflow cannot be caught: before the depth
/// bound it ended the whole process (this test host included), so reaching the assertions at all is half the proof.
/// </summary>
[Collection(HostileGroup.Name)]
public sealed class DeepExpressionTests(HostileServerFixture hostile) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => hostile.AssertIntactAsync();

    [Fact]
    public async Task Apply_30000NestedParentheses_Is400NamingTheLimitAndTheStep()
    {
        var expression = "${{ " + new string('(', 30_000) + "true" + new string(')', 30_000) + " }}";

        var problem = await ApplyRefusedAsync(new JsonObject { ["args"] = new JsonArray(expression) }, null);

        problem.ShouldContain("spec.steps[0].container.args[0]");
        problem.ShouldContain("64 levels");
    }

    [Fact]
    public async Task Apply_100000NotsInWhen_Is400NamingTheLimitAndTheStep()
    {
        var problem = await ApplyRefusedAsync(new JsonObject(), "${{ " + new string('!', 100_000) + "true }}");

        problem.ShouldContain("spec.steps[0].when");
        problem.ShouldContain("64 levels");
    }

    [Fact]
    public async Task Apply_100000ChainedOperators_Is400NamingTheLimit()
    {
        var chain = string.Join(" || ", Enumerable.Repeat("false", 100_000));

        var problem = await ApplyRefusedAsync(new JsonObject(), "${{ " + chain + " }}");

        problem.ShouldContain("spec.steps[0].when");
        problem.ShouldContain("64 levels");
        problem.Length.ShouldBeLessThan(4_000, "the problem quotes the start of the expression, not all of it");
    }

    [Fact]
    public async Task Apply_NestingAtTheLimit_IsAccepted()
    {
        var name = $"d{Guid.NewGuid():N}"[..12];
        var when = "${{ " + new string('!', 32) + new string('(', 31) + "true" + new string(')', 31) + " }}";
        var body = Workflow(name, new JsonObject(), when);

        using var response = await PutAsync(name, body);

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(TestTimeouts.Token()));
        (await hostile.Server.Http.DeleteAsync($"/api/v1/workflows/{name}", TestTimeouts.Token())).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    private async Task<string> ApplyRefusedAsync(JsonObject container, string? when)
    {
        var name = $"d{Guid.NewGuid():N}"[..12];

        using var response = await PutAsync(name, Workflow(name, container, when));

        var problem = await response.Content.ReadAsStringAsync(TestTimeouts.Token());
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, problem);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        (await hostile.Server.Http.GetAsync($"/api/v1/workflows/{name}", TestTimeouts.Token())).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        return problem;
    }

    private Task<HttpResponseMessage> PutAsync(string name, JsonObject body) =>
        hostile.Server.Http.PutAsync($"/api/v1/workflows/{name}", new StringContent(SpecBodies.Document("Workflow", body).ToJsonString(), Encoding.UTF8, "application/json"), TestTimeouts.Token());

    private static JsonObject Workflow(string name, JsonObject container, string? when)
    {
        container["image"] = "local/busybox:1";
        var step = new JsonObject { ["id"] = "a", ["container"] = container };
        if (when is not null)
        {
            step["when"] = when;
        }

        return new JsonObject { ["name"] = name, ["steps"] = new JsonArray(step) };
    }
}
