using Berth.Runtime.Docker.Engine;
using Berth.Server;
using Berth.Testing;
using Berth.Testing.Docker;
using Microsoft.Data.Sqlite;

namespace Berth.Cli.Tests.Workflows.EndToEnd;

/// <summary>
/// A real Berth server on the Docker runtime (workflow container steps need it) on a free loopback port with a temporary data
/// directory. On dispose it stops, then removes any step container it labelled as its own and its data directory.
/// </summary>
public sealed class DockerServerFixture : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"berth-wf-e2e-{Guid.NewGuid():N}"[..28]);
    private BerthServer? _server;
    private DockerEngineClient? _docker;

    public string Url => _server?.Address.GetLeftPart(UriPartial.Authority) ?? throw new InvalidOperationException("The server has not started.");

    public string AdminToken => File.ReadAllText(Path.Combine(_dataDirectory, "admin.token")).Trim();

    internal StepContainers Containers => new(_docker ?? throw new InvalidOperationException("Docker is not connected."));

    public async Task InitializeAsync()
    {
        _docker = await DockerTestEnvironment.RequireAsync();
        await TestImages.EnsureBusyboxAsync(_docker, TestTimeouts.Token());
        _server = await BerthServer.StartAsync(
            ["--urls", "http://127.0.0.1:0", "--data-dir", _dataDirectory, "--runtime", "docker"],
            TestTimeouts.Token(TestTimeouts.Slow));
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_server is not null)
            {
                await _server.DisposeAsync();
            }

            var serverId = Path.Combine(_dataDirectory, "server-id");
            if (_docker is not null && File.Exists(serverId))
            {
                await Containers.RemoveAsync(StepContainers.OwnerLabel((await File.ReadAllTextAsync(serverId)).Trim()), TestTimeouts.Token());
            }
        }
        finally
        {
            _docker?.Dispose();
            SqliteConnection.ClearAllPools();
            if (Directory.Exists(_dataDirectory))
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
        }
    }
}
