using Berth.Client;
using Microsoft.Data.Sqlite;

namespace Berth.Cli.Tests.Durability;

/// <summary>
/// A scratch directory with one Berth data directory, on which crash tests start real <c>berth server</c> processes one after
/// another (each killed or stopped before the next), and what is needed to clean up after them even when a step fails.
/// </summary>
internal sealed class CrashScratch
{
    private readonly List<BerthServerProcess> _servers = [];

    public CrashScratch(string prefix)
    {
        Root = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)]);
        Directory.CreateDirectory(DataDirectory);
    }

    public string Root { get; }

    public string DataDirectory => Path.Combine(Root, "data");

    public string AdminToken => File.ReadAllText(Path.Combine(DataDirectory, "admin.token")).Trim();

    /// <summary>Whether a server has started on the data directory and written its id.</summary>
    public bool HasServerId => File.Exists(ServerIdFile);

    /// <summary>The id the server keeps in its data directory and labels its containers with (<c>berth.owner</c>).</summary>
    public string ServerId => File.ReadAllText(ServerIdFile).Trim();

    /// <summary>The newest server still running, if any.</summary>
    public BerthServerProcess? Running => _servers.LastOrDefault(s => s.IsRunning);

    private string ServerIdFile => Path.Combine(DataDirectory, "server-id");

    /// <summary>Starts a server (default the docker runtime) on the data directory; it is stopped by <see cref="StopServers"/>.</summary>
    public async Task<BerthServerProcess> StartServerAsync(CancellationToken cancellationToken, string runtime = "docker")
    {
        var server = await BerthServerProcess.StartAsync(DataDirectory, runtime, cancellationToken);
        _servers.Add(server);
        return server;
    }

    /// <summary>A client of <paramref name="server"/> with the admin token.</summary>
    public BerthClient Client(BerthServerProcess server, TimeSpan? pollInterval = null) =>
        new(server.Address) { Token = AdminToken, PollInterval = pollInterval ?? TimeSpan.FromMilliseconds(200) };

    public void StopServers()
    {
        foreach (var server in _servers)
        {
            server.Dispose();
        }
    }

    /// <summary>Deletes the scratch directory (the servers must be stopped).</summary>
    public void Delete()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Root, recursive: true);
    }

    /// <summary>Runs one clean-up step, keeping its failure so the next steps still run.</summary>
    public static async Task TryAsync(List<Exception> failures, Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (Exception exception)
        {
            failures.Add(exception);
        }
    }
}
