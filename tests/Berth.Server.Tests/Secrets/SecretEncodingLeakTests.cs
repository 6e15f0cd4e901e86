using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Client.Contracts;
using Berth.Core.Serialization;
using Berth.Core.Workflows.Runs;
using Berth.Server.Tests.Support;
using Berth.Server.Tests.Workflows;
using Berth.Testing;
using Berth.Testing.Agents;

namespace Berth.Server.Tests.Secrets;

/// <summary>
/// A secret holding <c>+</c>, <c>"</c>, <c>/</c> and non-ASCII, written by a real agent in every form serializers use (JSON
/// escaped by .NET, JavaScript and Python, percent-encoded), reaches no API answer in any form: not the run's outputs, its
/// failure tail or events, nor the stored response of a durable request.
/// </summary>
public sealed class SecretEncodingLeakTests : IAsyncLifetime
{
    private const string Value = "k3y+\"x/y=\u00e9 9Z";

    private readonly BusyboxHttpAgent _agent = new();
    private readonly string _name = $"a{Guid.NewGuid():N}"[..12];
    private readonly string _secret = $"leak{Guid.NewGuid():N}"[..12];
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        var forms = SecretForms.Of(Value);
        var json = new StringBuilder("{");
        for (var i = 1; i < forms.Count; i++)
        {
            // forms[0] is the raw value, whose quote cannot stand in a JSON string; every other form can
            json.Append(i > 1 ? ", " : "").Append($"\"f{i}\": \"x {forms[i]} y\"");
        }

        File.WriteAllText(Path.Combine(_agent.Root, "answer.json"), json.Append('}').ToString());
        File.WriteAllText(Path.Combine(_agent.Root, "answer.txt"), string.Join('\n', forms));
        Script("json", "200 OK", "application/json", "answer.json");
        Script("text", "422 Unprocessable Entity", "text/plain", "answer.txt");
        _server = (await SecretsTestServer.StartAsync()).Server;
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Value));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        (await _server.Http.PutAsync($"/api/v1/secrets/{_secret}", content, TestTimeouts.Token())).EnsureSuccessStatusCode();
        (await _server.ApplyAsync(_agent.Spec(_name))).EnsureSuccessStatusCode();
        await _server.WaitRunningAsync(_name);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _agent.Dispose();
    }

    [Fact]
    public async Task Secret_AgentAnswersItInEveryEncoding_NoApiAnswerHoldsItInAny()
    {
        var workflow = $"wf{Guid.NewGuid():N}"[..12];
        var run = await new WorkflowClient(_server.Http).RunAsync(workflow, $$$"""
            {"name": "{{{workflow}}}", "steps": [
              {"id": "ask", "agent": {"name": "{{{_name}}}", "method": "GET", "path": "/cgi-bin/json"} },
              {"id": "fail", "continueOnError": true, "agent": {"name": "{{{_name}}}", "method": "GET", "path": "/cgi-bin/text"}}]}
            """);
        using var proxied = await _server.Http.PostAsync($"/agents/{_name}/cgi-bin/json", new StringContent("{}"), TestTimeouts.Token());
        proxied.EnsureSuccessStatusCode();

        run.Steps!.Single(s => s.Id == "ask").State.ShouldBe(StepState.Succeeded);
        run.Steps!.Single(s => s.Id == "fail").Failure!.Message.ShouldContain("422");
        var requests = await _server.Http.GetFromJsonAsync<List<JsonObject>>("/api/v1/requests", BerthJson.Options, TestTimeouts.Token());
        var paths = new List<string> { $"/api/v1/runs/{run.Id}", $"/api/v1/runs/{run.Id}/events?follow=false", "/api/v1/runs", "/api/v1/requests" };
        paths.AddRange(requests!.Select(r => $"/api/v1/requests/{r["id"]!.GetValue<string>()}"));
        var answers = new Dictionary<string, string>();
        foreach (var path in paths)
        {
            answers[path] = await _server.Http.GetStringAsync(path, TestTimeouts.Token());
        }

        requests.ShouldNotBeEmpty("the proxied request should have been stored");
        foreach (var (path, answer) in answers)
        {
            SecretForms.FoundIn(answer, Value).ShouldBeEmpty($"{path} shows the secret: {answer}");
        }

        answers[$"/api/v1/runs/{run.Id}"].ShouldContain($"x [redacted:{_secret}] y", customMessage: "the step's body should have held the secret, redacted");
        answers[$"/api/v1/runs/{run.Id}"].ShouldContain($"[redacted:{_secret}]\\n[redacted:{_secret}]", customMessage: "the failure's tail should have held the secret, redacted");
        answers[paths[^1]].ShouldContain($"x [redacted:{_secret}] y", customMessage: "the stored response should have held the secret, redacted");
    }

    private void Script(string name, string status, string type, string file)
    {
        var path = Path.Combine(_agent.Root, "cgi-bin", name);
        AgentFiles.WriteScript(path, $"#!/bin/sh\nprintf 'Status: {status}\\r\\nContent-Type: {type}\\r\\n\\r\\n'\ncat {Path.Combine(_agent.Root, file)}\n");
    }
}
