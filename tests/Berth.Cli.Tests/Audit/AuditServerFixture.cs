using Berth.Server;
using Berth.Testing;
using Microsoft.Data.Sqlite;

namespace Berth.Cli.Tests.Audit;

/// <summary>A real server for <c>berth audit</c>, with its admin token.</summary>
public sealed class AuditServerFixture : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"berth-cli-aud-{Guid.NewGuid():N}"[..32]);
    private BerthServer? _server;

    public Uri Address => _server!.Address;

    public string Url => Address.GetLeftPart(UriPartial.Authority);

    public string Token { get; private set; } = "";

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
            await _server.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
