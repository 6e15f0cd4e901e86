using System.Net.Http.Headers;
using Berth.Cli.Tests.Durability;
using Berth.Cli.Tests.Infrastructure;
using Berth.Core.Security;
using Berth.Testing;
using Berth.Testing.Postgres;
using Microsoft.Data.Sqlite;

namespace Berth.Cli.Tests.Cluster;

/// <summary>
/// <c>berth migrate</c> and <c>berth restore</c> with real servers: an embedded install moved to PostgreSQL serves its
/// secrets there with the same key, a backup of that restores into a new embedded install, and a store with data is never
/// restored over.
/// </summary>
[RequiresPostgres]
public sealed class MigrateCommandTests : IAsyncLifetime
{
    private readonly TempDirectory _root = new();
    private readonly List<BerthServerProcess> _servers = [];
    private readonly string _secret = $"m{Guid.NewGuid():N}"[..12];
    private string _store = "";

    public async Task InitializeAsync() => _store = await ScratchPostgres.CreateDatabaseAsync(TestTimeouts.Token());

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            server.Dispose();
        }

        SqliteConnection.ClearAllPools();
        await ScratchPostgres.DropDatabaseAsync(_store, TestTimeouts.Token());
        _root.Dispose();
    }

    private string Dir(string name) => Path.Combine(_root.Path, name);

    private CliHarness Harness(BerthServerProcess? server = null, string stdin = "")
    {
        var harness = new CliHarness { CurrentDirectory = _root.Path, Stdin = stdin };
        if (server is not null)
        {
            harness.Environment["BERTH_URL"] = server.Address.ToString();
            harness.Environment["BERTH_TOKEN"] = File.ReadAllText(Path.Combine(server.DataDirectory, "admin.token")).Trim();
        }

        return harness;
    }

    private async Task<BerthServerProcess> StartAsync(string dataDir, string? store = null, string? key = null)
    {
        var environment = new Dictionary<string, string>();
        if (store is not null)
        {
            environment["BERTH_STORE"] = store;
        }

        if (key is not null)
        {
            environment[SecretKeySource.EnvironmentVariable] = key;
        }

        var server = await BerthServerProcess.StartAsync(dataDir, "process", TestTimeouts.Token(), environment: environment);
        _servers.Add(server);
        return server;
    }

    private static async Task<string> SecretsAsync(BerthServerProcess server, string token)
    {
        using var http = new HttpClient { BaseAddress = server.Address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.GetStringAsync("api/v1/secrets", TestTimeouts.Token());
    }

    [Fact]
    public async Task Migrate_ThenBackupAndRestore_TheStoreAndItsSecretsComeAlongAndNothingIsRestoredOverData()
    {
        var embedded = await StartAsync(Dir("embedded"));
        (await Harness(embedded, stdin: "s3cret").RunAsync("secrets", "set", _secret)).ExitCode.ShouldBe(ExitCodes.Ok);
        var token = File.ReadAllText(Path.Combine(Dir("embedded"), "admin.token")).Trim();
        var whileRunning = await Harness().RunAsync("migrate", "--data-dir", Dir("embedded"), "--to", _store);
        whileRunning.ExitCode.ShouldBe(ExitCodes.Failure, "a store still being written must not be moved");
        whileRunning.All.ShouldContain($"a Berth server is running on {Dir("embedded")}");
        embedded.Dispose();
        var key = File.ReadAllText(Path.Combine(Dir("embedded"), SecretKeySource.FileName)).Trim();

        var migrated = await Harness().RunAsync("migrate", "--data-dir", Dir("embedded"), "--to", _store);

        migrated.ExitCode.ShouldBe(ExitCodes.Ok, migrated.ToString());
        migrated.All.ShouldContain("each checked against what was copied");
        var onPostgres = await StartAsync(Dir("postgres"), _store, key);
        (await SecretsAsync(onPostgres, token)).ShouldContain(_secret, customMessage: "the secret and the token came along");

        (await Harness(onPostgres).RunAsync("backup", "from-postgres.db")).ExitCode.ShouldBe(ExitCodes.Ok);
        var intoData = await Harness().RunAsync("restore", "from-postgres.db", "--data-dir", Dir("postgres"), "--store", _store);
        intoData.ExitCode.ShouldBe(ExitCodes.Failure);
        intoData.All.ShouldContain("already holds data");

        var restored = await Harness().RunAsync("restore", "from-postgres.db", "--data-dir", Dir("restored"));
        restored.ExitCode.ShouldBe(ExitCodes.Ok, restored.ToString());
        var back = await StartAsync(Dir("restored"), key: key);
        (await SecretsAsync(back, token)).ShouldContain(_secret);
    }
}
