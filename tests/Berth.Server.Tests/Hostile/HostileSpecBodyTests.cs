using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Core.Serialization;
using Berth.Core.Specs;
using Berth.Testing;
using Berth.Testing.Specs;

namespace Berth.Server.Tests.Hostile;

/// <summary>Spec bodies that once made validation take minutes, or that ask the prober to reach another host: each is a 400 naming what is wrong, and nothing is stored.</summary>
[Collection(HostileGroup.Name)]
public sealed class HostileSpecBodyTests(HostileServerFixture hostile) : IAsyncLifetime
{
    private readonly string _name = $"h{Guid.NewGuid():N}"[..12];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => hostile.AssertIntactAsync();

    private async Task<JsonArray> PutAndReadErrorsAsync(string route, string body)
    {
        using var content = new StringContent(SpecBodies.Document(route.Contains("/workflows/", StringComparison.Ordinal) ? "Workflow" : "Agent", body), Encoding.UTF8, "application/json");
        using var response = await hostile.Server.Http.PutAsync(route, content, TestTimeouts.Token());
        var text = await response.Content.ReadAsStringAsync(TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        return JsonNode.Parse(text)!["errors"]!.AsArray();
    }

    [Fact]
    public async Task Apply_AgentWithHundredThousandFiles_IsOneErrorNamingTheLimit()
    {
        var files = string.Join(",", Enumerable.Range(0, 100_000).Select(i => $"\"run/f{i}\":\"x\""));

        var errors = await PutAndReadErrorsAsync($"/api/v1/agents/{_name}", "{\"name\":\"" + _name + "\",\"image\":\"local/echo:1\",\"files\":{" + files + "}}");

        var error = errors.ShouldHaveSingleItem()!;
        error["path"]!.GetValue<string>().ShouldBe("spec.files");
        error["message"]!.GetValue<string>().ShouldContain($"100000 files; at most {AgentSpecValidator.MaximumFiles} are allowed");
    }

    [Fact]
    public async Task Apply_WorkflowWithJsonNestedPastTheLimit_IsOneErrorNamingTheLimitAndWhere()
    {
        var deep = new string('[', 100_000);

        var errors = await PutAndReadErrorsAsync($"/api/v1/workflows/{_name}", $$"""{"name":"{{_name}}","inputs":{"x":{"default":{{deep}}""");

        var error = errors.ShouldHaveSingleItem()!;
        error["message"]!.GetValue<string>().ShouldContain($"nesting deeper than {BerthJson.MaximumDepth} levels");
        error["line"]!.GetValue<int>().ShouldBe(1);
        error["column"]!.GetValue<int>().ShouldBeGreaterThan(BerthJson.MaximumDepth);
    }

    [Theory]
    [InlineData("//127.0.0.1:24990/x")]
    [InlineData("/\\\\127.0.0.1:24990/x")]
    [InlineData("http://127.0.0.1:24990/x")]
    public async Task Apply_HealthPathNamingAnotherHost_IsRefused(string path)
    {
        var body = new JsonObject
        {
            ["name"] = _name,
            ["process"] = new JsonObject { ["command"] = "/bin/true" },
            ["health"] = new JsonObject { ["path"] = path },
        };

        var errors = await PutAndReadErrorsAsync($"/api/v1/agents/{_name}", body.ToJsonString());

        var error = errors.ShouldHaveSingleItem()!;
        error["path"]!.GetValue<string>().ShouldBe("spec.health.path");
        error["message"]!.GetValue<string>().ShouldContain("like /health");
    }
}
