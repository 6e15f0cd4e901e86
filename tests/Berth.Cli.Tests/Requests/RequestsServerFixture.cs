using Berth.Client;
using Berth.Server;
using Berth.Testing;
using Microsoft.Data.Sqlite;

namespace Berth.Cli.Tests.Requests;

/// <summary>A real server (process runtime, temporary data directory) for the requests verbs; removes every agent before it stops.</summary>
public sealed class RequestsServerFixture : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"berth-cli-req-{Guid.NewGuid():N}"[..32]);
    private BerthServer? _server;

    public string Url => _server!.Address.GetLeftPart(UriPartial.Authority);

    public string Token { get; private set; } = "";

    /// <summary>An admin client; the caller disposes it.</summary>
    public BerthClient CreateClient() => new(_server!.Address) { Token = Token, PollInterval = TimeSpan.FromMilliseconds(100) };

    public async Task InitializeAsync()
    {
        _server = await BerthServer.StartAsync(
            ["--urls", "http://127.0.0.1:0", "--data-dir", _dataDirectory, "--runtime", "process"], TestTimeouts.Token(TestTimeouts.Slow));
        Token = (await File.ReadAllTextAsync(Path.Combine(_dataDirectory, "admin.token"))).Trim();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            try
            {
                using var client = CreateClient();
                var token = TestTimeouts.Token(TestTimeouts.Slow);
                foreach (var agent in await client.ListAgentsAsync(token))
                {
                    await client.RemoveAgentAsync(agent.Name, TimeSpan.FromSeconds(30), token);
                }
            }
            finally
            {
                await _server.DisposeAsync();
            }
        }

        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
