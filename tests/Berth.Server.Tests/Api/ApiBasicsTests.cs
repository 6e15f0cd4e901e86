using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Berth.Client.Contracts;
using Berth.Core.Serialization;
using Berth.Core.Specs;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Berth.Testing.Postgres;
using Berth.Testing.Specs;

namespace Berth.Server.Tests.Api;

public sealed class ApiBasicsTests(SharedServerFixture shared) : IClassFixture<SharedServerFixture>
{
    private readonly TestServer _server = shared.Server;

    [Fact]
    public async Task Healthz_Always_AnswersOk()
    {
        var response = await _server.Http.GetStringAsync("/healthz", TestTimeouts.Token());

        response.ShouldBe("ok");
    }

    [Fact]
    public async Task Readyz_ProcessRuntime_ListsItTheStoreAndThisServerAsTheLeader()
    {
        using var response = await _server.Http.GetAsync("/readyz", TestTimeouts.Token());
        var info = await response.Content.ReadFromJsonAsync<ServerInfo>(BerthJson.Options, TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        info!.Runtimes.ShouldContain("process");
        info.Store.ShouldBe(TestStore.IsPostgres ? "postgres" : "sqlite");
        info.Server.ShouldNotBeNullOrEmpty();
        info.Leader.ShouldBe(info.Server, "a server alone on its store leads from its start");
    }

    [Fact]
    public async Task OpenApi_Document_DescribesAgentRoutes()
    {
        var document = await _server.Http.GetStringAsync("/openapi/v1.json", TestTimeouts.Token());

        using var json = JsonDocument.Parse(document);
        var paths = json.RootElement.GetProperty("paths");
        paths.TryGetProperty("/api/v1/agents/{name}", out _).ShouldBeTrue();
        paths.TryGetProperty("/api/v1/agents/{name}/logs", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task OpenApi_Operations_NeedTheBearerSchemeExceptThoseAnonymousByDesign()
    {
        var document = await _server.Http.GetStringAsync("/openapi/v1.json", TestTimeouts.Token());

        using var json = JsonDocument.Parse(document);
        var root = json.RootElement;
        root.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString().ShouldBe("bearer");
        var operations = root.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Path: p.Name, Method: o.Name, Secured: o.Value.TryGetProperty("security", out var s) && s.GetArrayLength() > 0)))
            .ToList();
        operations.Where(o => !o.Secured).Select(o => $"{o.Method} {o.Path}").ShouldBe(["get /healthz"], "only the anonymous routes go without a token");
        operations.Count(o => o.Secured).ShouldBeGreaterThan(20);
        root.GetProperty("paths").TryGetProperty("/.well-known/oauth-protected-resource", out _).ShouldBeFalse("MCP's routes are not part of the REST API's document");
    }

    [Fact]
    public async Task Get_UnknownAgent_Returns404Problem()
    {
        using var response = await _server.Http.GetAsync("/api/v1/agents/nobody", TestTimeouts.Token());
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        problem.GetProperty("type").GetString().ShouldBe("urn:berth:problem:not-found");
        problem.GetProperty("detail").GetString()!.ShouldContain("nobody");
    }

    [Fact]
    public async Task Apply_InvalidSpec_Returns400WithEveryErrorAndStoresNothing()
    {
        var spec = new AgentSpec
        {
            Name = "bad-one",
            Image = "local/x:1",
            Process = new ProcessSpec { Command = "/bin/true" },
            Port = 0,
            Replicas = -1,
        };

        using var response = await _server.ApplyAsync(spec);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        problem.GetProperty("type").GetString().ShouldBe("urn:berth:problem:validation");
        var paths = problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()).ToList();
        paths.ShouldContain("spec.port");
        paths.ShouldContain("spec.replicas");
        paths.Count.ShouldBeGreaterThanOrEqualTo(3);
        (await _server.Http.GetAsync("/api/v1/agents/bad-one")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("{\"name\": \"j1\", \"process\": {\"command\": \"/bin/true\"}, \"port\": \"eighty\"}", "spec.port")]
    [InlineData("{\"name\": \"j1\", \"process\": {\"command\": \"/bin/true\"}, \"replica\": 2}", "spec")]
    [InlineData("{\"name\": \"j1\", \"health\": {\"interval\": \"soon\"}}", "spec.health.interval")]
    [InlineData("{not json", "body")]
    public async Task Apply_MalformedJson_Returns400NamingThePath(string body, string path)
    {
        using var content = new StringContent(SpecBodies.Document("Agent", body), Encoding.UTF8, "application/json");
        using var response = await _server.Http.PutAsync("/api/v1/agents/j1", content, TestTimeouts.Token());
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        problem.GetProperty("errors")[0].GetProperty("path").GetString()!.ShouldStartWith(path);
    }

    [Fact]
    public async Task Apply_NameDiffersFromUrl_Returns400()
    {
        var spec = new AgentSpec { Name = "other", Process = new ProcessSpec { Command = "/bin/true" } };

        using var response = await _server.Http.PutAsJsonAsync("/api/v1/agents/this-one", Berth.Core.Specs.SpecDocuments.ToDocument(spec), Core.Serialization.BerthJson.Options, TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("must match");
    }

    [Theory]
    [InlineData("/var/run/docker.sock")]
    [InlineData("{dataDir}")]
    [InlineData("/etc")]
    public async Task Apply_VolumeOfAForbiddenHostPath_Returns400NamingIt(string source)
    {
        var hostPath = source.Replace("{dataDir}", _server.DataDir, StringComparison.Ordinal);
        var spec = new AgentSpec { Name = "mounts", Image = "local/echo:1", Volumes = [new VolumeSpec { Source = hostPath, Target = "/mnt" }] };

        using var response = await _server.ApplyAsync(spec);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var error = problem.GetProperty("errors")[0];
        error.GetProperty("path").GetString().ShouldBe("spec.volumes[0].source");
        error.GetProperty("message").GetString()!.ShouldContain(hostPath);
    }

    [Fact]
    public async Task Apply_ContainerAgentOnProcessOnlyServer_Returns409Explaining()
    {
        using var response = await _server.ApplyAsync(new AgentSpec { Name = "boxed", Image = "local/echo:1" });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        problem.GetProperty("detail").GetString()!.ShouldContain("--runtime process");
    }

    [Fact]
    public async Task Apply_SecretReference_Returns400UntilSecretsExist()
    {
        var spec = new AgentSpec
        {
            Name = "needs-key",
            Process = new ProcessSpec { Command = "/bin/true" },
            Env = new Dictionary<string, string> { ["API_KEY"] = "${secret:openai}" },
        };

        using var response = await _server.ApplyAsync(spec);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("spec.env.API_KEY");
    }

    [Fact]
    public async Task Proxy_UnknownAgent_Returns404()
    {
        using var response = await _server.Http.GetAsync("/agents/ghost/anything", TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_UnknownAgent_Returns404()
    {
        using var response = await _server.Http.DeleteAsync("/api/v1/agents/ghost", TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Logs_FollowingAQuietAgent_SendsHeadersAtOnce()
    {
        // The agent never writes nor ends while the test runs, so headers held back until a first line would never come.
        using var created = await _server.ApplyAsync(new AgentSpec { Name = "silent", Process = new ProcessSpec { Command = "/bin/sleep", Args = ["3600"] } });

        using var response = await _server.Http.GetAsync("/api/v1/agents/silent/logs?follow=true&tail=0", HttpCompletionOption.ResponseHeadersRead, TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/x-ndjson");
    }

    [Fact]
    public async Task Logs_BadSince_Returns400()
    {
        using var created = await _server.ApplyAsync(new AgentSpec { Name = "quiet", Process = new ProcessSpec { Command = "/bin/sleep", Args = ["60"] } });
        using var response = await _server.Http.GetAsync("/api/v1/agents/quiet/logs?since=yesterday", TestTimeouts.Token());

        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("since");
    }
}
