using System.Net.Http.Headers;
using System.Net.Http.Json;
using Berth.Client;
using Berth.Client.Contracts;
using Berth.Core.Agents;
using Berth.Core.Security;
using Berth.Core.Serialization;
using Berth.Cli.Tests.Durability;
using Berth.Testing;
using Berth.Testing.Agents;
using Berth.Testing.Postgres;

namespace Berth.Cli.Tests.Cluster;

/// <summary>
/// Two real <c>berth server</c> processes on one PostgreSQL database and one host, with a process agent: the leader is
/// SIGKILLed, and the next leader adopts the agent's very process (same pid, no restart), serves it, and can stop it.
/// </summary>
[RequiresPostgres]
public sealed class ProcessAgentFailoverTests : IAsyncLifetime
{
    private static readonly string[] Settings = ["--Berth:Leader:LeaseDuration=4s", "--Berth:Leader:RenewInterval=1s"];

    private readonly string _name = $"p{Guid.NewGuid():N}"[..12];
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"berth-pfail-{Guid.NewGuid():N}"[..26]);
    private readonly List<BerthServerProcess> _servers = [];
    private readonly string _key = SecretKey.Generate().ToBase64();
    private readonly BusyboxHttpAgent _agent = new();
    private string _store = "";
    private string? _storeId;
    private bool _removed;
    private string _storePlaces = "";

    private string Token => File.ReadAllText(Path.Combine(_servers[0].DataDirectory, "admin.token")).Trim();

    public async Task InitializeAsync() => _store = await ScratchPostgres.CreateDatabaseAsync(TestTimeouts.Token());

    public async Task DisposeAsync()
    {
        var failures = new List<Exception>();
        if (!_removed && _servers.FirstOrDefault(s => s.IsRunning) is { } running)
        {
            using var client = Client(running);
            await CrashScratch.TryAsync(failures, () => client.RemoveAgentAsync(_name, TimeSpan.FromSeconds(30), TestTimeouts.Token()));
        }

        foreach (var server in _servers)
        {
            server.Dispose();
        }

        foreach (var pid in AgentProcesses())
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            process.Kill();
        }

        // What the servers of this store kept on the host, keyed by the store's id.
        if (_storeId is { } id)
        {
            foreach (var place in (string[])[Path.GetDirectoryName(_storePlaces)!, $"/var/lib/berth/agents/{id}", $"/dev/shm/berth-{id}"])
            {
                await CrashScratch.TryAsync(failures, () =>
                {
                    if (Directory.Exists(place))
                    {
                        Directory.Delete(place, recursive: true);
                    }

                    return Task.CompletedTask;
                });
            }
        }

        await CrashScratch.TryAsync(failures, () => ScratchPostgres.DropDatabaseAsync(_store, TestTimeouts.Token()));
        await CrashScratch.TryAsync(failures, () =>
        {
            Directory.Delete(_root, recursive: true);
            return Task.CompletedTask;
        });
        _agent.Dispose();
        if (failures.Count > 0)
        {
            throw new AggregateException("cleaning up after the process failover test failed", failures);
        }
    }

    [Fact]
    public async Task LeaderKilled_TheNextLeaderAdoptsTheSameProcess_ServesItAndStopsIt()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = deadline.Token;
        for (var i = 0; i < 2; i++)
        {
            _servers.Add(await BerthServerProcess.StartAsync(
                Path.Combine(_root, $"server-{i}"), "process", ct, settings: Settings,
                environment: new Dictionary<string, string> { ["BERTH_STORE"] = _store, [SecretKeySource.EnvironmentVariable] = _key }));
        }

        using (var client = Client(_servers[0]))
        {
            await client.ApplyAgentAsync(_agent.Spec(_name), ct);
            await client.WaitForAgentAsync(_name, AgentState.Running, TestTimeouts.Slow, null, ct);
        }

        var before = await GetAgentAsync(_servers[0], ct);
        FindStorePlaces(before.Instances.Single().Id);
        var pid = AgentProcesses().ShouldHaveSingleItem("one httpd serves the agent");

        var leader = await LeaderAsync(ct);
        await leader.KillAsync(ct);
        var survivor = _servers.Single(s => s != leader);
        await Eventually.TrueAsync(
            async token => await ReadyAsync(survivor, token) is { Leader: { } next } info && next == info.Server,
            "the survivor to lead", cancellationToken: ct);

        using (var http = Http(survivor))
        {
            await Eventually.TrueAsync(async token => (await http.GetAsync($"agents/{_name}/health", token)).IsSuccessStatusCode,
                "the agent to answer through the new leader", cancellationToken: ct);
        }

        var after = await GetAgentAsync(survivor, ct);
        var instance = after.Instances.ShouldHaveSingleItem();
        instance.Id.ShouldBe(before.Instances.Single().Id);
        instance.State.ShouldBe(InstanceState.Running);
        instance.RestartCount.ShouldBe(0, "the new leader adopted the process rather than starting it again");
        AgentProcesses().ShouldBe([pid], "the same process serves the agent, and no second one was started");

        using (var client = Client(survivor))
        {
            await client.RemoveAgentAsync(_name, TimeSpan.FromSeconds(30), ct);
            _removed = true;
        }

        await Eventually.TrueAsync(_ => Task.FromResult(AgentProcesses().Count == 0), "the new leader to stop the adopted process", cancellationToken: ct);
    }

    // The process driver's state of a shared store is host-wide, under the store's id: {root}/stores/{store-id}/process/{instance}.
    private void FindStorePlaces(string instanceId)
    {
        var roots = new[] { "/var/lib/berth/stores", Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "berth", "stores") };
        var state = roots.Where(Directory.Exists).SelectMany(Directory.EnumerateDirectories)
            .Select(store => Path.Combine(store, "process"))
            .SingleOrDefault(process => Directory.Exists(Path.Combine(process, instanceId)))
            .ShouldNotBeNull("the instance's state is in the store's host-wide folder, where the next leader finds it");
        _storePlaces = state;
        _storeId = Path.GetFileName(Path.GetDirectoryName(state));
    }

    // The httpd processes serving this test's agent, found by the folder on their command line.
    private List<int> AgentProcesses() =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && CommandLine(pid).Contains(_agent.Root, StringComparison.Ordinal))];

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    private async Task<BerthServerProcess> LeaderAsync(CancellationToken ct)
    {
        var leaderId = (await ReadyAsync(_servers[0], ct)).Leader.ShouldNotBeNull("a server leads");
        foreach (var server in _servers)
        {
            if ((await ReadyAsync(server, ct)).Server == leaderId)
            {
                return server;
            }
        }

        throw new InvalidOperationException($"no server is the leader {leaderId}");
    }

    private async Task<AgentView> GetAgentAsync(BerthServerProcess server, CancellationToken ct)
    {
        using var http = Http(server);
        return (await http.GetFromJsonAsync<AgentView>($"api/v1/agents/{_name}", BerthJson.Options, ct))!;
    }

    private Task<ServerInfo> ReadyAsync(BerthServerProcess server, CancellationToken ct) => server.ReadyAsync(Token, ct);

    private HttpClient Http(BerthServerProcess server) => server.Http(Token);

    private BerthClient Client(BerthServerProcess server) => server.Client(Token);
}
