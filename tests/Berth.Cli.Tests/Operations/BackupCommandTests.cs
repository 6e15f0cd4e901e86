using System.Text;
using Berth.Cli.Tests.EndToEnd;
using Berth.Cli.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Berth.Cli.Tests.Operations;

/// <summary><c>berth backup</c> against a real server: a new, owner-only file holding the store, secrets still encrypted.</summary>
[Collection(ServerGroup.Name)]
public sealed class BackupCommandTests(ServerFixture server) : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly string _secret = $"b{Guid.NewGuid():N}"[..12];
    private readonly string _value = $"canary-{Guid.NewGuid():N}";

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    private CliHarness Harness(string stdin = "")
    {
        var harness = new CliHarness { CurrentDirectory = _directory.Path, Stdin = stdin };
        harness.Environment["BERTH_URL"] = server.Url;
        harness.Environment["BERTH_TOKEN"] = server.AdminToken;
        return harness;
    }

    [Fact]
    public async Task Backup_WritesTheStoreToANewOwnerOnlyFile_WithSecretsStillEncrypted()
    {
        (await Harness(stdin: _value).RunAsync("secrets", "set", _secret)).ExitCode.ShouldBe(ExitCodes.Ok);

        var result = await Harness().RunAsync("backup", "store.db");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        result.All.ShouldContain("wrote a backup (");
        var file = Path.Combine(_directory.Path, "store.db");
        (File.GetUnixFileMode(file) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)).ShouldBe((UnixFileMode)0, "a backup holds the store: only its owner reads it");
        await using var backup = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        await backup.OpenAsync();
        await using var query = backup.CreateCommand();
        query.CommandText = "SELECT value FROM secrets WHERE name = $name";
        query.Parameters.AddWithValue("$name", _secret);
        var stored = (byte[])(await query.ExecuteScalarAsync()).ShouldNotBeNull("the secret is in the backup");
        Encoding.UTF8.GetString(stored).ShouldNotContain(_value, customMessage: "secrets stay encrypted in a backup");
    }

    [Fact]
    public async Task Backup_ToAFileThatExists_IsRefusedAndTheFileIsKept()
    {
        _directory.Write("taken.db", "keep me");

        var result = await Harness().RunAsync("backup", "taken.db");

        result.ExitCode.ShouldBe(ExitCodes.Usage);
        result.Err.ShouldContain("already exists");
        (await File.ReadAllTextAsync(Path.Combine(_directory.Path, "taken.db"))).ShouldBe("keep me");
    }
}
