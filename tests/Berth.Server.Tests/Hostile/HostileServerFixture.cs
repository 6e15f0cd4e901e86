using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Berth.Client.Contracts;
using Berth.Core.Serialization;
using Berth.Core.Specs;
using Berth.Server.Tests.Secrets;
using Berth.Server.Tests.Security;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Berth.Testing.Agents;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Tests.Hostile;

/// <summary>
/// One real server (process runtime) with two busybox agents and an operator token, shared by the hostile-input
/// tests. <see cref="AssertIntactAsync"/> checks after each test that the server still answers and the store is unchanged.
/// </summary>
public sealed class HostileServerFixture : IAsyncLifetime
{
    private const string EnvScript = """
        #!/bin/sh
        printf 'Content-Type: text/plain\r\n\r\n'
        printf 'agent=%s\n' "$BERTH_AGENT"
        printf 'uri=%s\n' "$REQUEST_URI"
        printf 'pathinfo=%s\n' "$PATH_INFO"
        printf 'authorization=%s\n' "$HTTP_AUTHORIZATION"
        printf 'xff=%s\n' "$HTTP_X_FORWARDED_FOR"
        printf 'xfproto=%s\n' "$HTTP_X_FORWARDED_PROTO"
        printf 'xfhost=%s\n' "$HTTP_X_FORWARDED_HOST"
        printf 'xfprefix=%s\n' "$HTTP_X_FORWARDED_PREFIX"
        printf 'forwarded=%s\n' "$HTTP_FORWARDED"
        printf 'host=%s\n' "$HTTP_HOST"
        printf 'secret=%s\n' "$HTTP_X_SECRET"
        printf 'test=%s\n' "$HTTP_X_TEST"
        printf 'length=%s\n' "$CONTENT_LENGTH"
        body=""
        if [ -n "$CONTENT_LENGTH" ]; then body=$(head -c "$CONTENT_LENGTH"); fi
        printf 'body=%s\n' "$body"
        echo "$REQUEST_METHOD $REQUEST_URI" >> "$(dirname "$0")/../requests.log"
        """;

    private readonly BusyboxHttpAgent _agent = new();
    private string _snapshot = "";
    private int _logsChecked;

    internal TestServer Server { get; private set; } = null!;

    internal LogCapture Logs { get; } = new();

    /// <summary>The agent the hostile requests name.</summary>
    public string A { get; } = $"ha{Guid.NewGuid():N}"[..12];

    /// <summary>Another agent, which no request to <see cref="A"/> may reach.</summary>
    public string B { get; } = $"hb{Guid.NewGuid():N}"[..12];

    /// <summary>An agent with persistence off, so requests to it take the plain (not stored) proxy path.</summary>
    public string Plain { get; } = $"hp{Guid.NewGuid():N}"[..12];

    /// <summary>An operator token: may use the proxy, may not touch tokens.</summary>
    public string OperatorToken { get; private set; } = "";

    /// <summary>The requests the agents' CGI scripts served, one "METHOD URI" per line.</summary>
    public string RequestLog => File.Exists(Path.Combine(_agent.Root, "requests.log")) ? File.ReadAllText(Path.Combine(_agent.Root, "requests.log")) : "";

    public async Task InitializeAsync()
    {
        var script = Path.Combine(_agent.Root, "cgi-bin", "env");
        AgentFiles.WriteScript(script, EnvScript);

        // The oversized-body tests send 40 MB each with one token; the byte budget (tested in ByteRateLimitTests) must not
        // turn their 413s into 429s, so it is made larger than everything the group sends.
        Server = await TestServer.StartAsync(extraArgs: ["--Berth:RateLimit:BytesBurst=1073741824"]);
        Server.Server.Services.GetRequiredService<ILoggerFactory>().AddProvider(Logs);
        foreach (var name in new[] { A, B })
        {
            (await Server.ApplyAsync(_agent.Spec(name))).StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        (await Server.ApplyAsync(_agent.Spec(Plain) with { Persistence = new PersistenceSpec { Enabled = false } })).StatusCode.ShouldBe(HttpStatusCode.Created);
        await Server.WaitRunningAsync(A);
        await Server.WaitRunningAsync(B);
        await Server.WaitRunningAsync(Plain);
        OperatorToken = (await TokenRequests.CreateAsync(Server, "operator")).Token;
        _snapshot = await SnapshotAsync();
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _agent.Dispose();
    }

    /// <summary>
    /// The server answers /healthz and an authenticated list, both agents are stored unchanged, and no request since the
    /// last check ended in a 500 (the tests of the group run one after another).
    /// </summary>
    public async Task AssertIntactAsync()
    {
        using var anonymous = Server.CreateHttp(null);
        (await anonymous.GetAsync("/healthz", TestTimeouts.Token())).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Server.Http.GetAsync("/api/v1/agents", TestTimeouts.Token())).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await SnapshotAsync()).ShouldBe(_snapshot, "the agents stored before the hostile requests changed");
        var entries = Logs.Entries;
        var sinceLastCheck = entries.Skip(_logsChecked).ToList();
        _logsChecked = entries.Count;
        sinceLastCheck.Where(e => e.Contains("StatusCode=500", StringComparison.Ordinal) || e.Contains("unhandled exception", StringComparison.OrdinalIgnoreCase))
            .ShouldBeEmpty("a request ended in a 500");
    }

    /// <summary>Sends <paramref name="request"/> (a <see cref="RawHttp.Request"/> or hand-made bytes) to the server.</summary>
    internal Task<RawResponse> SendRawAsync(string request) => RawHttp.SendAsync(Server.Server.Address, request);

    private async Task<string> SnapshotAsync()
    {
        var agents = await Server.Http.GetFromJsonAsync<List<AgentView>>("/api/v1/agents", BerthJson.Options, TestTimeouts.Token());
        var mine = agents!.Where(a => a.Name == A || a.Name == B).OrderBy(a => a.Name, StringComparer.Ordinal)
            .Select(a => new { a.Name, a.Generation, a.DesiredState, a.Spec, a.CreatedAt, a.UpdatedAt });
        return JsonSerializer.Serialize(mine, BerthJson.Options);
    }
}
