using Berth.Core.Specs;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Microsoft.Data.Sqlite;

namespace Berth.Server.Tests.Security;

/// <summary>The data directory holds the database, tokens, agent logs and state: only the server's user may read any of it.</summary>
public sealed class DataDirectoryPermissionsTests : IDisposable
{
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
                                              UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private const UnixFileMode Loose = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), $"berth-perm-{Guid.NewGuid():N}");
    private readonly string _outside = Path.Combine(Path.GetTempPath(), $"berth-perm-outside-{Guid.NewGuid():N}");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var path in new[] { _dataDir }.Where(Directory.Exists))
        {
            Directory.Delete(path, recursive: true);
        }

        File.Delete(_outside);
    }

    [Fact]
    [SqliteOnly]
    public async Task Start_NewDataDirectoryWithARunningAgent_CreatesEveryEntryOwnerOnly()
    {
        await using var server = await TestServer.StartAsync(dataDir: _dataDir);
        var name = $"perm-{Guid.NewGuid():N}"[..16];
        using (var applied = await server.ApplyAsync(new AgentSpec { Name = name, Process = new ProcessSpec { Command = "sh", Args = ["-c", "echo hello; echo oops >&2; sleep 300"] } }))
        {
            applied.IsSuccessStatusCode.ShouldBeTrue();
        }

        // The agent serves no port, so it never turns healthy; a started instance with its state written is enough here.
        await server.WaitForAsync(name, v => v.Instances.Count > 0 && Directory.Exists(Path.Combine(_dataDir, "process"))
            && Directory.GetDirectories(Path.Combine(_dataDir, "process")).Any(d => File.Exists(Path.Combine(d, "instance.json"))));
        var instanceFolder = Directory.GetDirectories(Path.Combine(_dataDir, "process")).Single();

        // Everything the server, the store and the runtime write, the SQLite side files included.
        foreach (var file in new[] { "berth.db", "berth.db-wal", "berth.db-shm", "server-id", "admin.token", "secrets.key" })
        {
            ModeOf(Path.Combine(_dataDir, file)).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite, file);
        }

        foreach (var file in new[] { "instance.json", "stdout.log", "stderr.log" })
        {
            ModeOf(Path.Combine(instanceFolder, file)).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite, file);
        }

        EntriesOpenToOthers(_dataDir).ShouldBeEmpty();
    }

    [Fact]
    public async Task Start_ExistingDataDirectoryReadableByOthers_IsMadeOwnerOnlyWithoutFollowingLinks()
    {
        await (await StartAsync()).DisposeAsync();
        var instanceFolder = Path.Combine(_dataDir, "process", "old-agent-0");
        Directory.CreateDirectory(instanceFolder);
        File.WriteAllText(Path.Combine(instanceFolder, "stdout.log"), "a line an earlier version wrote\n");
        File.WriteAllText(_outside, "not Berth's");
        File.SetUnixFileMode(_outside, Loose);
        File.CreateSymbolicLink(Path.Combine(_dataDir, "planted-link"), _outside);
        Loosen(_dataDir);
        EntriesOpenToOthers(_dataDir).Count.ShouldBeGreaterThan(5);

        await using var again = await StartAsync();

        EntriesOpenToOthers(_dataDir).ShouldBeEmpty();
        ModeOf(_dataDir).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        ModeOf(Path.Combine(_dataDir, "server-id")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        ModeOf(Path.Combine(instanceFolder, "stdout.log")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        ModeOf(_outside).ShouldBe(Loose, "a link inside the data directory must not let the server chmod a file elsewhere");
    }

    private Task<BerthServer> StartAsync() =>
        BerthServer.StartAsync(["--urls", "http://127.0.0.1:0", "--data-dir", _dataDir, "--runtime", "process"], TestTimeouts.Token());

    /// <summary>What an earlier version left: directories 0755 and files 0644 (the secrets key aside, which the server refuses when others can read it).</summary>
    private static void Loosen(string root)
    {
        File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
        {
            if (entry.LinkTarget is not null || entry.Name == "secrets.key")
            {
                continue;
            }

            entry.UnixFileMode = entry is DirectoryInfo ? ModeOf(root) : Loose;
        }
    }

    private static List<string> EntriesOpenToOthers(string root) =>
        [.. new[] { new DirectoryInfo(root) }
            .Concat<FileSystemInfo>(new DirectoryInfo(root).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
            .Where(e => e.LinkTarget is null && (e.UnixFileMode & GroupOrOther) != 0)
            .Select(e => $"{e.FullName} {Convert.ToString((int)e.UnixFileMode, 8)}")];

    private static UnixFileMode ModeOf(string path) => File.GetUnixFileMode(path);
}
