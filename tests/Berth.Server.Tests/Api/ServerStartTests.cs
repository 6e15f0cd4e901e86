using System.Net;
using System.Net.Sockets;
using Berth.Testing;
using Microsoft.Data.Sqlite;

namespace Berth.Server.Tests.Api;

public sealed class ServerStartTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), $"berth-start-{Guid.NewGuid():N}");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task StartAsync_DockerModeWithoutEngine_RefusesAndSaysWhatToDo()
    {
        var args = new[] { "--urls", "http://127.0.0.1:0", "--data-dir", _dataDir, "--runtime", "docker", "--Berth:Docker:Socket", "/tmp/no-such-docker.sock" };

        var error = await Should.ThrowAsync<BerthServerStartException>(() => BerthServer.StartAsync(args, TestTimeouts.Token()));

        error.Message.ShouldContain("--runtime docker needs a Docker engine");
        error.Message.ShouldContain("start dockerd");
    }

    [Fact]
    public async Task StartAsync_DataDirectoryOfARunningServer_RefusesUntilThatServerStops()
    {
        var args = new[] { "--urls", "http://127.0.0.1:0", "--data-dir", _dataDir, "--runtime", "process" };
        var first = await BerthServer.StartAsync(args, TestTimeouts.Token());
        BerthServerStartException error;
        try
        {
            error = await Should.ThrowAsync<BerthServerStartException>(() => BerthServer.StartAsync(args, TestTimeouts.Token()));
        }
        finally
        {
            await first.DisposeAsync();
        }

        error.Message.ShouldContain($"a Berth server is running on {_dataDir}");
        error.Message.ShouldContain("--data-dir of its own");
        await using var second = await BerthServer.StartAsync(args, TestTimeouts.Token());
    }

    [Fact]
    public async Task StartAsync_PortTaken_SaysTheAddressIsInUse()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var args = new[] { "--urls", $"http://127.0.0.1:{port}", "--data-dir", _dataDir, "--runtime", "process" };

        var error = await Should.ThrowAsync<BerthServerStartException>(() => BerthServer.StartAsync(args, TestTimeouts.Token()));

        error.Message.ShouldContain("address is in use");
        error.Message.ShouldContain("--urls");
    }

    [Fact]
    public async Task StartAsync_UnknownRuntime_NamesTheSetting()
    {
        var args = new[] { "--urls", "http://127.0.0.1:0", "--data-dir", _dataDir, "--runtime", "kubernetes" };

        var error = await Should.ThrowAsync<BerthServerStartException>(() => BerthServer.StartAsync(args, TestTimeouts.Token()));

        error.Message.ShouldContain("Berth:Runtime");
    }

    [Fact]
    public async Task StartAsync_UnknownLogFormat_NamesTheSettingAndTheChoices()
    {
        var args = new[] { "--urls", "http://127.0.0.1:0", "--data-dir", _dataDir, "--log-format", "yaml" };

        var error = await Should.ThrowAsync<BerthServerStartException>(() => BerthServer.StartAsync(args, TestTimeouts.Token()));

        error.Message.ShouldContain("--log-format");
        error.Message.ShouldContain("text or json");
        error.Message.ShouldContain("'yaml'");
    }

    [Theory]
    [InlineData("mysql://berth:s3cret-pw@db/berth", "must be a PostgreSQL URL like postgres://")]
    [InlineData("postgres://db.internal/berth", "must name a user and one database")]
    [InlineData("postgres://berth:s3cret-pw@db.internal/berth?sslmode=sometimes", "sslmode=sometimes is not valid")]
    [InlineData("postgres://berth:s3cret-pw@db.internal/berth?pool=9", "the option 'pool', which Berth does not know")]
    public async Task StartAsync_BadStore_SaysWhatIsWrongWithoutThePassword(string store, string message)
    {
        var args = new[] { "--urls", "http://127.0.0.1:0", "--data-dir", _dataDir, "--store", store };

        var error = await Should.ThrowAsync<BerthServerStartException>(() => BerthServer.StartAsync(args, TestTimeouts.Token()));

        error.Message.ShouldContain(message);
        error.ToString().ShouldNotContain("s3cret-pw");
        Directory.Exists(_dataDir).ShouldBeFalse("nothing is written before the settings are valid");
    }

    [Fact]
    public async Task StartAsync_UnreachablePostgres_NamesTheStoreWithoutThePassword()
    {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        var args = new[] { "--urls", "http://127.0.0.1:0", "--data-dir", _dataDir, "--store", "postgres://berth:s3cret-pw@127.0.0.1:1/berth" };

        var error = await Should.ThrowAsync<BerthServerStartException>(() => BerthServer.StartAsync(args, TestTimeouts.Token()));

        error.Message.ShouldContain("postgres://berth@127.0.0.1:1/berth");
        error.Message.ShouldContain("Check that the server answers");
        error.ToString().ShouldNotContain("s3cret-pw");
    }

    [Fact]
    public async Task StartAsync_ProcessMode_ReportsOnlyTheProcessRuntime()
    {
        await using var server = await BerthServer.StartAsync(
            ["--urls", "http://127.0.0.1:0", "--data-dir", _dataDir, "--runtime", "process"], TestTimeouts.Token());
        using var http = new HttpClient { BaseAddress = server.Address };
        http.DefaultRequestHeaders.Authorization = new("Bearer", File.ReadAllText(Path.Combine(_dataDir, "admin.token")).Trim());

        var ready = await http.GetStringAsync("/readyz", TestTimeouts.Token());

        ready.ShouldContain("\"runtimes\":[\"process\"]");
        File.Exists(Path.Combine(_dataDir, "berth.db")).ShouldBeTrue();
    }

    [Fact]
    public async Task StartAsync_SecretsKeyReplaced_IsRefusedUntilTheOperatorAcceptsTheNewKey()
    {
        string[] args = ["--urls", "http://127.0.0.1:0", "--data-dir", _dataDir, "--runtime", "process"];
        await (await BerthServer.StartAsync(args, TestTimeouts.Token())).DisposeAsync();
        File.Delete(Path.Combine(_dataDir, Berth.Core.Security.SecretKeySource.FileName));

        var error = await Should.ThrowAsync<BerthServerStartException>(() => BerthServer.StartAsync(args, TestTimeouts.Token()));
        error.Message.ShouldContain("not the key the store was written with");
        error.Message.ShouldContain("--Berth:Secrets:ReplaceLostKey=true");

        await (await BerthServer.StartAsync([.. args, "--Berth:Secrets:ReplaceLostKey=true"], TestTimeouts.Token())).DisposeAsync();
        await (await BerthServer.StartAsync(args, TestTimeouts.Token())).DisposeAsync();
    }
}
