using System.Net;
using System.Net.Sockets;
using Berth.Storage.Mapping;
using Berth.Storage.Migrations;
using Berth.Storage.Postgres;
using Berth.Testing;
using Berth.Testing.Postgres;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Storage.Tests.Postgres;

/// <summary>Migrating a PostgreSQL database at start, by one server or several at once, and the errors an operator sees.</summary>
[RequiresPostgres]
public sealed class PostgresMigrationTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly List<PostgresDatabase> _opened = [];
    private string _url = null!;

    public async Task InitializeAsync() => _url = await ScratchPostgres.CreateDatabaseAsync(TestTimeouts.Token());

    public async Task DisposeAsync()
    {
        foreach (var database in _opened)
        {
            await database.DisposeAsync();
        }

        await ScratchPostgres.DropDatabaseAsync(_url, TestTimeouts.Token());
    }

    private PostgresDatabase Open(string? url = null)
    {
        var database = new PostgresDatabase(PostgresLocation.Parse(url ?? _url));
        _opened.Add(database);
        return database;
    }

    private PostgresStoreInitializer Initializer(PostgresDatabase database) =>
        new(database, _clock, NullLogger<PostgresStoreInitializer>.Instance);

    private async Task<List<(long Version, string Name, string AppliedAt)>> HistoryAsync()
    {
        await using var connection = await Open().OpenAsync(TestTimeouts.Token());
        return (await connection.QueryAsync<(long Version, string Name, string AppliedAt)>(
            "SELECT version, name, applied_at FROM schema_migrations ORDER BY version")).ToList();
    }

    [Fact]
    public async Task InitializeAsync_EmptyDatabase_MigratesToTheCurrentVersionAndASecondServerAppliesNothing()
    {
        var appliedAt = _clock.GetUtcNow();

        await Initializer(Open()).InitializeAsync(TestTimeouts.Token());
        _clock.Advance(TimeSpan.FromHours(1));
        await Initializer(Open()).InitializeAsync(TestTimeouts.Token());
        var appliedAgain = await new MigrationRunner(Open(), PostgresMigrations.All, _clock, NullLogger.Instance).RunAsync(TestTimeouts.Token());

        appliedAgain.ShouldBe(0);
        var history = await HistoryAsync();
        history.Select(h => h.Version).ShouldBe(PostgresMigrations.All.Select(m => (long)m.Version));
        history.Select(h => h.Name).ShouldBe(PostgresMigrations.All.Select(m => m.Name));
        history.ShouldAllBe(h => h.AppliedAt == StoredTime.Format(appliedAt), "the second server must not apply a migration again");
        await using var connection = await Open().OpenAsync(TestTimeouts.Token());
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM runs")).ShouldBe(0, "the schema's tables exist");
    }

    [Fact]
    public async Task InitializeAsync_SeveralServersAtOnceOnAnEmptyDatabase_AllSucceedAndEachMigrationIsRecordedOnce()
    {
        var servers = Enumerable.Range(0, 4).Select(_ => Initializer(Open())).ToList();

        await Task.WhenAll(servers.Select(s => Task.Run(() => s.InitializeAsync(TestTimeouts.Token()))));

        var history = await HistoryAsync();
        history.Select(h => h.Version).ShouldBe(PostgresMigrations.All.Select(m => (long)m.Version), "each migration once, in order");
    }

    [Fact]
    public async Task InitializeAsync_SchemaNewerThanThisBerth_RefusedNamingTheVersion()
    {
        await Initializer(Open()).InitializeAsync(TestTimeouts.Token());
        var newer = PostgresMigrations.All[^1].Version + 1;
        await using (var connection = await Open().OpenAsync(TestTimeouts.Token()))
        {
            await connection.ExecuteAsync(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, 'from_a_newer_berth', @AppliedAt)",
                new { Version = newer, AppliedAt = StoredTime.Format(_clock.GetUtcNow()) });
        }

        var error = await Should.ThrowAsync<InvalidOperationException>(() => Initializer(Open()).InitializeAsync(TestTimeouts.Token()));

        error.Message.ShouldContain($"schema version {newer}");
        error.Message.ShouldContain("upgrade berth");
        (await HistoryAsync()).Count.ShouldBe(PostgresMigrations.All.Count + 1, "nothing is applied to a newer schema");
    }

    [Fact]
    public async Task InitializeAsync_NothingListensOnThePort_SaysWhatToCheckWithoutThePassword()
    {
        const string Password = "unreachable-s3cret";
        var url = $"postgres://berth:{Password}@127.0.0.1:{ClosedPort()}/berth";

        var error = await Should.ThrowAsync<InvalidOperationException>(() => Initializer(Open(url)).InitializeAsync(TestTimeouts.Token()));

        error.Message.ShouldContain(PostgresLocation.Parse(url).Describe());
        error.Message.ShouldContain("Check that the server answers");
        error.ToString().ShouldNotContain(Password);
    }

    [Fact]
    public async Task InitializeAsync_WrongPassword_SaysWhatToCheckWithoutThePassword()
    {
        const string Password = "wrong-s3cret-password";
        var url = new UriBuilder(_url) { Password = Password }.Uri.ToString();

        var error = await Should.ThrowAsync<InvalidOperationException>(() => Initializer(Open(url)).InitializeAsync(TestTimeouts.Token()));

        error.Message.ShouldContain("password authentication failed");
        error.Message.ShouldContain("that the user and password are right");
        error.ToString().ShouldNotContain(Password);
    }

    [Fact]
    public async Task InitializeAsync_MissingDatabase_SaysWhatToCheckWithoutThePassword()
    {
        var missing = $"berth_missing_{Guid.NewGuid():N}"[..28];
        var url = ScratchPostgres.WithDatabase(_url, missing);
        var password = Uri.UnescapeDataString(new Uri(url).UserInfo.Split(':', 2)[1]);

        var error = await Should.ThrowAsync<InvalidOperationException>(() => Initializer(Open(url)).InitializeAsync(TestTimeouts.Token()));

        error.Message.ShouldContain($"\"{missing}\" does not exist");
        error.Message.ShouldContain("that the database exists");
        error.ToString().ShouldNotContain(password);
    }

    // A port nothing listens on: the kernel picks a free one for a listener that is closed at once.
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
