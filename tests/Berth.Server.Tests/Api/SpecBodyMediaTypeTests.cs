using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Berth.Client.Contracts;
using Berth.Core.Serialization;
using Berth.Server.Tests.Support;
using Berth.Testing;

namespace Berth.Server.Tests.Api;

/// <summary>A spec sent to the API as the YAML a user applies with the CLI, or as JSON: one reader, the same errors, and no server-side substitution.</summary>
public sealed class SpecBodyMediaTypeTests(SharedServerFixture shared) : IClassFixture<SharedServerFixture>
{
    private readonly string _name = $"m{Guid.NewGuid():N}"[..12];
    private readonly TestServer _server = shared.Server;

    private string Yaml(params string[] specLines) =>
        $"apiVersion: berth/v1\nkind: Agent\nmetadata:\n  name: {_name}\nspec:\n" + string.Concat(specLines.Select(l => "  " + l + "\n"));

    private Task<HttpResponseMessage> PutAsync(string body, string mediaType) =>
        _server.Http.PutAsync($"/api/v1/agents/{_name}", new StringContent(body, Encoding.UTF8, mediaType), TestTimeouts.Token());

    [Fact]
    public async Task Apply_YamlBody_CreatesTheAgent()
    {
        using var response = await PutAsync(Yaml("process: { command: /bin/true }", "replicas: 0", "env: { MODE: on }"), "application/yaml");

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var applied = await response.Content.ReadFromJsonAsync<ApplyResponse>(BerthJson.Options);
        applied!.Agent.Spec.Env["MODE"].ShouldBe("on", "YAML 1.2: on is text, not a boolean");
    }

    [Fact]
    public async Task Apply_SameMistakesAsYamlAndJson_GiveTheSameErrors()
    {
        var yaml = Yaml("process: { command: /bin/true }", "replica: 2", "health: { interval: soon }");
        var json = "{\"apiVersion\":\"berth/v1\",\"kind\":\"Agent\",\"metadata\":{\"name\":\"" + _name + "\"},\"spec\":{\"process\":{\"command\":\"/bin/true\"},\"replica\":2,\"health\":{\"interval\":\"soon\"}}}";

        var fromYaml = await ErrorsAsync(await PutAsync(yaml, "application/yaml"));
        var fromJson = await ErrorsAsync(await PutAsync(json, "application/json"));

        fromYaml.Select(e => e.Path).ShouldBe(["spec.replica", "spec.health.interval"]);
        fromJson.Select(e => (e.Path, e.Message)).ShouldBe(fromYaml.Select(e => (e.Path, e.Message)));
        fromYaml.Select(e => e.Line).ShouldBe([7, 8], "YAML errors carry the line they are on");
    }

    [Fact]
    public async Task Apply_VariableInTheBody_IsRefusedNotSubstituted()
    {
        Environment.GetEnvironmentVariable("HOME").ShouldNotBeNull("the server has a HOME it could have substituted");

        var errors = await ErrorsAsync(await PutAsync(Yaml("process: { command: /bin/true }", "env: { DIR: \"${HOME}\" }"), "application/yaml"));

        errors.ShouldHaveSingleItem().Message.ShouldContain("substitute it on the client");
    }

    [Fact]
    public async Task Apply_RelativeWorkingDirectory_IsRefused()
    {
        var errors = await ErrorsAsync(await PutAsync(Yaml("process: { command: /bin/true, workingDir: ./app }"), "application/yaml"));

        errors.ShouldHaveSingleItem().Path.ShouldBe("spec.process.workingDir");
    }

    [Fact]
    public async Task Apply_PlainText_Is415()
    {
        using var response = await PutAsync(Yaml("process: { command: /bin/true }"), "text/plain");

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Apply_NoContentType_IsReadAsTheDocument()
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Yaml("process: { command: /bin/true }", "replicas: 0")));
        using var response = await _server.Http.PutAsync($"/api/v1/agents/{_name}", content, TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Apply_WorkflowDocumentToTheAgentRoute_SaysWhereItGoes()
    {
        var workflow = $"apiVersion: berth/v1\nkind: Workflow\nmetadata:\n  name: {_name}\nspec:\n  steps: [{{ id: a, container: {{ image: x }} }}]\n";

        using var response = await PutAsync(workflow, "application/yaml");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("not a kind: Agent document");
    }

    private static async Task<List<ErrorEntry>> ErrorsAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body);
            return JsonDocument.Parse(body).RootElement.GetProperty("errors").Deserialize<List<ErrorEntry>>(BerthJson.Options)!;
        }
    }

    private sealed record ErrorEntry(string Path, string Message, int? Line, int? Column);
}
