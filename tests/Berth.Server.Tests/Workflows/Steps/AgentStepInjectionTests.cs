using Berth.Core.Workflows;
using Berth.Core.Workflows.Runs;
using Berth.Server.Tests.Support;
using Berth.Testing.Agents;

namespace Berth.Server.Tests.Workflows.Steps;

/// <summary>
/// An agent step whose method, path or header comes from an earlier agent's answer holding CR/LF: nothing is sent (a real
/// busybox agent logs every request it gets) and the step fails as <c>user</c> naming the field.
/// </summary>
public sealed class AgentStepInjectionTests : IAsyncLifetime
{
    // Answers JSON whose strings would split a request: each would end the request line or a header and start a smuggled
    // DELETE /cgi-bin/admin (or an injected header). JSON escapes keep the CR/LF out of the shell script.
    private const string Next = """
        #!/bin/sh
        echo "$REQUEST_METHOD $REQUEST_URI" >> {root}/requests.log
        printf 'Content-Type: application/json\r\n\r\n'
        cat <<'JSON'
        {"path": "/cgi-bin/log HTTP/1.1\r\nHost: x\r\n\r\nDELETE /cgi-bin/admin HTTP/1.1\r\nHost: x\r\n\r\n",
         "header": "ok\r\nX-Injected: yes",
         "name": "X-A\r\nX-Injected",
         "method": "DELETE /cgi-bin/admin HTTP/1.1\r\nX-A:"}
        JSON
        """;

    // Every other path an injected request could reach records what it got.
    private const string Log = """
        #!/bin/sh
        echo "$REQUEST_METHOD $REQUEST_URI injected=$HTTP_X_INJECTED" >> {root}/requests.log
        printf 'Content-Type: text/plain\r\n\r\nok\n'
        """;

    private readonly BusyboxHttpAgent _agent = new();
    private readonly string _name = $"a{Guid.NewGuid():N}"[..12];
    private TestServer _server = null!;
    private WorkflowClient _workflows = null!;

    public async Task InitializeAsync()
    {
        Script("next", Next);
        Script("log", Log);
        Script("admin", Log);
        _server = await TestServer.StartAsync();
        _workflows = new WorkflowClient(_server.Http);
        (await _server.ApplyAsync(_agent.Spec(_name))).EnsureSuccessStatusCode();
        await _server.WaitRunningAsync(_name);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _agent.Dispose();
    }

    [Theory]
    [InlineData("\"path\": \"${{ steps.ask.body.path }}\"", "agent.path holds a control character (CR")]
    [InlineData("\"path\": \"/cgi-bin/log\", \"headers\": {\"X-Next\": \"${{ steps.ask.body.header }}\", \"Authorization\": \"Bearer s3cret\"}", "agent.headers.X-Next holds a control character (CR")]
    [InlineData("\"path\": \"/cgi-bin/log\", \"headers\": {\"${{ steps.ask.body.name }}\": \"v\"}", "agent.headers name")]
    [InlineData("\"path\": \"/cgi-bin/log\", \"method\": \"${{ steps.ask.body.method }}\"", "agent.method holds a space")]
    public async Task Run_EvaluatedFieldHoldsCrLf_FailsAsUserAndSendsNothing(string agentFields, string expected)
    {
        var name = $"wf{Guid.NewGuid():N}"[..12];
        var json = $$$"""
            {"name": "{{{name}}}", "steps": [
              {"id": "ask", "agent": {"name": "{{{_name}}}", "method": "GET", "path": "/cgi-bin/next"}},
              {"id": "call", "dependsOn": ["ask"], "agent": {"name": "{{{_name}}}", {{{agentFields}}}}}]}
            """;

        var run = await _workflows.RunAsync(name, json);

        run.State.ShouldBe(RunState.Failed);
        var call = run.Steps!.Single(s => s.Id == "call");
        call.Failure!.Class.ShouldBe(ErrorClass.User, call.Failure.Message);
        call.Failure.Message.ShouldContain(expected);
        call.Failure.Message.ShouldContain("nothing was sent");
        call.Failure.Message.ShouldNotContain("Injected");
        File.ReadAllLines(Path.Combine(_agent.Root, "requests.log")).ShouldBe(["GET /cgi-bin/next"], "only the first step's request may reach the agent");
    }

    [Fact]
    public async Task Run_EvaluatedFieldsWithoutControlCharacters_AreSent()
    {
        var name = $"wf{Guid.NewGuid():N}"[..12];
        var json = $$$"""
            {"name": "{{{name}}}", "steps": [
              {"id": "call", "agent": {"name": "{{{_name}}}", "method": "PUT", "path": "/cgi-bin/log?q=a%0D%0Ab", "headers": {"X-Injected": "tab\there"} } }]}
            """;

        var run = await _workflows.RunAsync(name, json);

        run.State.ShouldBe(RunState.Succeeded, run.Error);
        File.ReadAllLines(Path.Combine(_agent.Root, "requests.log")).ShouldBe(["PUT /cgi-bin/log?q=a%0D%0Ab injected=tab\there"]);
    }

    private void Script(string name, string text)
    {
        var path = Path.Combine(_agent.Root, "cgi-bin", name);
        AgentFiles.WriteScript(path, text.Replace("{root}", _agent.Root, StringComparison.Ordinal));
    }
}
