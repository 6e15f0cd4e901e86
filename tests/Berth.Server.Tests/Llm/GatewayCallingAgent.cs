using Berth.Core.Specs;

namespace Berth.Server.Tests.Llm;

/// <summary>
/// A deployed agent (a Python process) that, asked on any path, makes one chat call through the gateway with the token its
/// caller's step gave it (<c>Berth-Run-Token</c>), or its own, and answers with the gateway's status and body as they came.
/// </summary>
internal static class GatewayCallingAgent
{
    private const string Script = """
        import http.server, json, os, urllib.error, urllib.request

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                token = self.headers.get("Berth-Run-Token") or os.environ["BERTH_TOKEN"]
                body = json.dumps({"model": "fast", "messages": [{"role": "user", "content": "run"}], "max_tokens": 100}).encode()
                call = urllib.request.Request(os.environ["BERTH_URL"] + "/llm/" + os.environ["LLM_ENDPOINT"] + "/v1/chat/completions",
                    data=body, headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
                try:
                    with urllib.request.urlopen(call) as answer:
                        status, text = answer.status, answer.read()
                except urllib.error.HTTPError as refused:
                    status, text = refused.code, refused.read()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)

            def log_message(self, *args):
                pass

        http.server.HTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
        """;

    /// <summary>Deploys such an agent, granted <paramref name="endpoint"/>, and waits until it runs; its name.</summary>
    public static async Task<string> DeployAsync(LlmGatewayFixture fixture, string endpoint)
    {
        var agent = $"runner{Guid.NewGuid():N}"[..14];
        var spec = new AgentSpec
        {
            Name = agent,
            Process = new ProcessSpec { Command = "/usr/bin/python3", Args = ["-c", Script] },
            Env = new Dictionary<string, string> { ["LLM_ENDPOINT"] = endpoint },
            Access = new AccessSpec { Models = [endpoint] },
        };
        (await fixture.Server.ApplyAsync(spec)).EnsureSuccessStatusCode();
        await fixture.Server.WaitRunningAsync(agent);
        return agent;
    }

    /// <summary>A workflow step, <paramref name="id"/>, that asks <paramref name="agent"/> once (no retries), after <paramref name="after"/>.</summary>
    public static string Step(string id, string agent, string? after = null) =>
        $$"""{ "id": "{{id}}", {{(after is null ? "" : $"\"dependsOn\": [\"{after}\"], ")}}"retry": { "maxAttempts": 1 }, "agent": { "name": "{{agent}}", "method": "POST", "path": "/ask", "body": {} } }""";
}
