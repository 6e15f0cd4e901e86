using System.Text;
using Berth.Core.Security;
using Berth.Core.Storage;
using Berth.Server;
using Berth.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Cli.Tests.Secrets;

/// <summary>A real server for the secrets verbs, with its admin token, and a way to read back what it stored.</summary>
public sealed class SecretsServerFixture : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"berth-cli-sec-{Guid.NewGuid():N}"[..32]);
    private BerthServer? _server;

    public string Url => _server!.Address.GetLeftPart(UriPartial.Authority);

    public string Token { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _server = await BerthServer.StartAsync(
            ["--urls", "http://127.0.0.1:0", "--data-dir", _dataDirectory, "--runtime", "process"], TestTimeouts.Token(TestTimeouts.Slow));
        Token = (await File.ReadAllTextAsync(Path.Combine(_dataDirectory, "admin.token"))).Trim();
    }

    /// <summary>The stored value, decrypted with the server's key file; null when there is no such secret.</summary>
    public async Task<string?> ReadValueAsync(string name)
    {
        var blob = await _server!.Services.GetRequiredService<ISecretStore>().GetAsync(name, TestTimeouts.Token());
        return blob is null ? null : Encoding.UTF8.GetString(new SecretCipher(SecretKeySource.Load(_dataDirectory, null)).Decrypt(name, blob));
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
