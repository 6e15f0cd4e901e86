using Berth.Core.Specs;
using Berth.Server.Tests.Security;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Berth.Testing.Agents;
using Microsoft.Playwright;

namespace Berth.Server.Tests.Dashboard;

/// <summary>
/// A real server (process runtime) with one running busybox agent, a viewer token to sign in with, and Debian's Chromium.
/// The agent has two more CGI scripts: <c>gate</c> answers once the test opens its gate file, and <c>down</c> always
/// answers 503, so its requests end as dead letters.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    private const string GateScript = """
        #!/bin/sh
        while [ ! -f {gate} ]; do sleep 0.1; done
        printf 'Content-Type: application/json\r\n\r\n'
        printf '{"opened":true}\n'
        """;

    private const string DownScript = """
        #!/bin/sh
        echo "down asked for $REQUEST_URI" >&2
        printf 'HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\ndown\n'
        """;

    private DebianChromium? _chromium;

    internal BusyboxHttpAgent Agent { get; } = new();

    internal TestServer Server { get; private set; } = null!;

    internal IBrowser Browser => _chromium!.Browser;

    /// <summary>The running agent's name.</summary>
    public string AgentName { get; } = $"web{Guid.NewGuid():N}"[..12];

    /// <summary>A viewer's token: the dashboard needs no more.</summary>
    public string ViewerToken { get; private set; } = "";

    /// <summary>The file whose creation lets <c>/cgi-bin/gate</c> answer.</summary>
    public string GateFile => Path.Combine(Agent.Root, $"gate-{AgentName}");

    /// <summary>Where the tests save their screenshots.</summary>
    public static string Screenshots { get; } = Path.Combine(Repository.Root, "TestResults", "dashboard");

    public async Task InitializeAsync()
    {
        _chromium = await DebianChromium.LaunchAsync();
        AgentFiles.WriteScript(Path.Combine(Agent.Root, "cgi-bin", "gate"), GateScript.Replace("{gate}", GateFile, StringComparison.Ordinal));
        AgentFiles.WriteScript(Path.Combine(Agent.Root, "cgi-bin", "down"), DownScript);
        Directory.CreateDirectory(Screenshots);
        Server = await TestServer.StartAsync();
        var spec = Agent.Spec(AgentName) with
        {
            Persistence = new PersistenceSpec { MaxAttempts = 2, Backoff = TimeSpan.FromMilliseconds(100), MaxBackoff = TimeSpan.FromMilliseconds(200) },
        };
        using (var applied = await Server.ApplyAsync(spec))
        {
            applied.IsSuccessStatusCode.ShouldBeTrue(await applied.Content.ReadAsStringAsync());
        }

        await Server.WaitRunningAsync(AgentName);
        ViewerToken = (await TokenRequests.CreateAsync(Server, "viewer", description: "dashboard tests")).Token;
    }

    public async Task DisposeAsync()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }

        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        Agent.Dispose();
    }
}
