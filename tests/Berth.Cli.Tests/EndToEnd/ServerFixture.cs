using Berth.Client;
using Berth.Core.Storage;
using Berth.Server;
using Berth.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Cli.Tests.EndToEnd;

/// <summary>A real Berth server on a free loopback port with the process runtime and a temporary data directory.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"berth-cli-server-{Guid.NewGuid():N}"[..32]);
    private BerthServer? _server;

    public string Url => _server?.Address.GetLeftPart(UriPartial.Authority) ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>The server's data directory, where it wrote <c>admin.token</c>.</summary>
    public string DataDirectory => _dataDirectory;

    /// <summary>The admin token the server wrote at its first start.</summary>
    public string AdminToken => File.ReadAllText(Path.Combine(_dataDirectory, "admin.token")).Trim();

    /// <summary>
    /// Every test class shares the admin token, so its request budget is raised (limits stay on): one class's load, such as
    /// <c>berth bench</c>, must not spend the budget the next class needs.
    /// </summary>
    public async Task InitializeAsync() =>
        _server = await BerthServer.StartAsync(
            [
                "--urls", "http://127.0.0.1:0", "--data-dir", _dataDirectory, "--runtime", "process",
                "--Berth:RateLimit:RequestsPerSecond", "1000000", "--Berth:RateLimit:Burst", "1000000",
            ],
            TestTimeouts.Token(TestTimeouts.Slow));

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            // Agents outlive the server by design, so remove every one before stopping it.
            using var client = new BerthClient(_server.Address) { Token = AdminToken };
            var token = TestTimeouts.Token(TestTimeouts.Slow);
            foreach (var agent in await client.ListAgentsAsync(token))
            {
                await client.RemoveAgentAsync(agent.Name, TimeSpan.FromSeconds(30), token);
            }

            // So do plugin pools, which are not agents to the API: remove the plugins and wait until their pools are gone.
            foreach (var plugin in await client.ListPluginsAsync(token))
            {
                await client.RemovePluginAsync(plugin.Id, null, token);
            }

            var agents = _server.Services.GetRequiredService<IAgentStore>();
            await Eventually.TrueAsync(
                async ct => !(await agents.ListWithPoolsAsync(ct)).Any(a => a.Plugin is not null), "every plugin pool to be stopped and forgotten");

            await _server.DisposeAsync();
        }

        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
