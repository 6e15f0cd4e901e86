using System.Net;
using System.Text.Json;
using Berth.Core.Specs;
using Berth.Server.Tests.Security;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Berth.Testing.Agents;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Berth.Server.Tests.Mcp;

/// <summary>
/// One real server (process runtime) for the MCP tool tests, with operator and viewer tokens and two busybox agents whose
/// CGI scripts show what a request looked like when it reached them: <see cref="Durable"/> (persistence on) and
/// <see cref="Plain"/> (persistence off). Each test names anything else it creates uniquely.
/// </summary>
public sealed class McpToolsFixture : IAsyncLifetime
{
    private const string EnvScript = """
        #!/bin/sh
        body=""
        if [ -n "$CONTENT_LENGTH" ]; then body=$(head -c "$CONTENT_LENGTH"); fi
        echo "$REQUEST_METHOD $REQUEST_URI $body" >> "$(dirname "$0")/../requests-$BERTH_AGENT.log"
        printf 'Content-Type: text/plain\r\nX-Agent: %s\r\n\r\n' "$BERTH_AGENT"
        printf 'agent=%s\n' "$BERTH_AGENT"
        printf 'method=%s\n' "$REQUEST_METHOD"
        printf 'uri=%s\n' "$REQUEST_URI"
        printf 'authorization=%s\n' "$HTTP_AUTHORIZATION"
        printf 'test=%s\n' "$HTTP_X_TEST"
        printf 'type=%s\n' "$CONTENT_TYPE"
        printf 'body=%s\n' "$body"
        """;

    // 2 MiB of 'a', more than a call returns.
    private const string BigScript = """
        #!/bin/sh
        printf 'Content-Type: text/plain\r\n\r\n'
        head -c 2097152 /dev/zero | tr '\0' a
        """;

    private const string BinaryScript = """
        #!/bin/sh
        printf 'Content-Type: application/octet-stream\r\n\r\n'
        printf '\377\376\000\001'
        """;

    // Waits (two minutes at most) until {root}/open-QUERY exists, so a call stays on its way until the test lets it answer.
    private const string GateScript = """
        #!/bin/sh
        n=0
        while [ ! -e "{root}/open-$QUERY_STRING" ] && [ "$n" -lt 1200 ]; do sleep 0.1; n=$((n+1)); done
        printf 'Content-Type: text/plain\r\nX-Gate: %s\r\n\r\nopened=%s\n' "$QUERY_STRING" "$QUERY_STRING"
        """;

    // An agent that is always unavailable: with maxAttempts 1 its durable requests are dead-lettered at once.
    private const string DownScript = """
        #!/bin/sh
        printf 'Status: 503 Service Unavailable\r\nContent-Type: text/plain\r\n\r\ndown\n'
        """;

    internal BusyboxHttpAgent Agent { get; } = new();

    internal TestServer Server { get; private set; } = null!;

    /// <summary>An agent with persistence on (the default).</summary>
    public string Durable { get; } = $"md{Guid.NewGuid():N}"[..12];

    /// <summary>An agent with persistence off: calls take the plain, streaming proxy path.</summary>
    public string Plain { get; } = $"mp{Guid.NewGuid():N}"[..12];

    public string OperatorToken { get; private set; } = "";

    public string OperatorTokenId { get; private set; } = "";

    public string ViewerToken { get; private set; } = "";

    /// <summary>
    /// Every request an agent's <c>env</c> script served, "METHOD URI BODY" per line; one file per agent, since each agent runs
    /// under a user of its own, which may not write another's file.
    /// </summary>
    public IReadOnlyList<string> Served(string agent)
    {
        var log = Path.Combine(Agent.Root, $"requests-{agent}.log");
        return File.Exists(log) ? File.ReadAllLines(log) : [];
    }

    public async Task InitializeAsync()
    {
        AgentFiles.WriteScript(Path.Combine(Agent.Root, "cgi-bin", "env"), EnvScript);
        AgentFiles.WriteScript(Path.Combine(Agent.Root, "cgi-bin", "big"), BigScript);
        AgentFiles.WriteScript(Path.Combine(Agent.Root, "cgi-bin", "binary"), BinaryScript);
        AgentFiles.WriteScript(Path.Combine(Agent.Root, "cgi-bin", "down"), DownScript);
        AgentFiles.WriteScript(Path.Combine(Agent.Root, "cgi-bin", "gate"), GateScript.Replace("{root}", Agent.Root, StringComparison.Ordinal));
        Server = await TestServer.StartAsync();
        (await Server.ApplyAsync(Agent.Spec(Durable))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await Server.ApplyAsync(Agent.Spec(Plain) with { Persistence = new PersistenceSpec { Enabled = false } })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var created = await TokenRequests.CreateAsync(Server, "operator");
        (OperatorToken, OperatorTokenId) = (created.Token, created.Record.Id);
        ViewerToken = (await TokenRequests.CreateAsync(Server, "viewer")).Token;
        await Server.WaitRunningAsync(Durable);
        await Server.WaitRunningAsync(Plain);
    }

    /// <summary>Lets every call waiting at <c>/cgi-bin/gate?{key}</c> answer.</summary>
    public void Open(string key) => File.WriteAllText(Path.Combine(Agent.Root, $"open-{key}"), "");

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Agent.Dispose();
    }

    public Task<McpClient> OperatorAsync() => McpClients.ConnectAsync(Server, OperatorToken);

    public Task<McpClient> ViewerAsync() => McpClients.ConnectAsync(Server, ViewerToken);

    /// <summary>Calls <paramref name="tool"/> with <paramref name="arguments"/> (pairs of name and value).</summary>
    public static async Task<CallToolResult> CallAsync(McpClient client, string tool, params (string Name, object? Value)[] arguments) =>
        await client.CallToolAsync(tool, arguments.ToDictionary(a => a.Name, a => a.Value), cancellationToken: TestTimeouts.Token());

    /// <summary>The structured content of a successful call; fails with the call's text when it was an error.</summary>
    public static JsonElement Structured(CallToolResult result)
    {
        result.IsError.ShouldNotBe(true, Text(result));
        return result.StructuredContent!.Value;
    }

    public static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text));
}
