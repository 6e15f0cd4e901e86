using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Berth.Core.Serialization;
using Berth.Core.Specs;
using Berth.Core.Workflows;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Berth.Testing.Agents;

namespace Berth.Server.Tests.Mcp;

/// <summary>
/// A server on the process runtime with one busybox agent whose CGI scripts workflow steps call (no Docker): <c>json</c>
/// answers the body it got as JSON, <c>gate</c> answers only once the test opened its gate (a file named by the query).
/// </summary>
public sealed class WorkflowAgentFixture : IAsyncLifetime
{
    private const string JsonScript = """
        #!/bin/sh
        body=""
        if [ -n "$CONTENT_LENGTH" ]; then body=$(head -c "$CONTENT_LENGTH"); fi
        printf 'Content-Type: application/json\r\n\r\n{"got": %s}\n' "${body:-null}"
        """;

    // Waits (two minutes at most) until {root}/open-QUERY exists.
    private const string GateScript = """
        #!/bin/sh
        n=0
        while [ ! -e "{root}/open-$QUERY_STRING" ] && [ "$n" -lt 1200 ]; do sleep 0.1; n=$((n+1)); done
        printf 'Content-Type: application/json\r\n\r\n{"opened": "%s"}\n' "$QUERY_STRING"
        """;

    private readonly BusyboxHttpAgent _agent = new();

    internal TestServer Server { get; private set; } = null!;

    public string AgentName { get; } = $"wa{Guid.NewGuid():N}"[..12];

    public async Task InitializeAsync()
    {
        AgentFiles.WriteScript(Path.Combine(_agent.Root, "cgi-bin", "json"), JsonScript);
        AgentFiles.WriteScript(Path.Combine(_agent.Root, "cgi-bin", "gate"), GateScript.Replace("{root}", _agent.Root, StringComparison.Ordinal));
        Server = await TestServer.StartAsync();
        (await Server.ApplyAsync(_agent.Spec(AgentName))).EnsureSuccessStatusCode();
        await Server.WaitRunningAsync(AgentName);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _agent.Dispose();
    }

    /// <summary>Lets every step waiting at gate <paramref name="key"/> answer.</summary>
    public void Open(string key) => File.WriteAllText(Path.Combine(_agent.Root, $"open-{key}"), "");

    /// <summary>A step that posts <paramref name="body"/> to the <c>json</c> script.</summary>
    public StepSpec Json(string id, JsonNode? body = null, params string[] dependsOn) => new()
    {
        Id = id,
        Agent = new AgentStepSpec { Name = AgentName, Path = "/cgi-bin/json", Body = body ?? new JsonObject { ["step"] = id } },
        DependsOn = dependsOn,
    };

    /// <summary>A step that waits at gate <paramref name="key"/>.</summary>
    public StepSpec Gated(string id, string key) => new()
    {
        Id = id,
        Agent = new AgentStepSpec { Name = AgentName, Method = "GET", Path = $"/cgi-bin/gate?{key}" },
        Timeout = TimeSpan.FromMinutes(3),
    };

    /// <summary>Applies a workflow of <paramref name="steps"/> through the API and returns its name.</summary>
    public async Task<string> ApplyAsync(IReadOnlyDictionary<string, WorkflowInputSpec>? inputs, params StepSpec[] steps)
    {
        var spec = new WorkflowSpec { Name = $"wf{Guid.NewGuid():N}"[..12], Steps = steps, Inputs = inputs ?? new Dictionary<string, WorkflowInputSpec>() };
        using var response = await Server.Http.PutAsJsonAsync($"/api/v1/workflows/{spec.Name}", SpecDocuments.ToDocument(spec), BerthJson.Options, TestTimeouts.Token());
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
        return spec.Name;
    }
}
