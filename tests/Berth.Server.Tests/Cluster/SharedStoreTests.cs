using System.Net;
using System.Net.Http.Json;
using Berth.Client.Contracts;
using Berth.Core.Serialization;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Berth.Testing.Agents;
using Berth.Testing.Postgres;

namespace Berth.Server.Tests.Cluster;

/// <summary>
/// Two real servers on one PostgreSQL database, each with its own data directory (and so its own server id): one leads,
/// both answer the API and the proxy, and the other takes over when the leader stops.
/// </summary>
[RequiresPostgres]
public sealed class SharedStoreTests : IAsyncLifetime
{
    private readonly BusyboxHttpAgent _agent = new();
    private readonly string _name = $"s{Guid.NewGuid():N}"[..12];
    private string _store = "";
    private TestServer? _first;
    private TestServer? _second;

    public async Task InitializeAsync()
    {
        _store = await ScratchPostgres.CreateDatabaseAsync(TestTimeouts.Token());

        // Short leases, so a takeover after a leader's death would be quick too; the handover here is the graceful one.
        string[] args = ["--store", _store, "--Berth:Leader:LeaseDuration=3s", "--Berth:Leader:RenewInterval=1s"];
        _first = await TestServer.StartAsync(extraArgs: args);
        _second = await TestServer.StartAsync(extraArgs: args);
    }

    public async Task DisposeAsync()
    {
        if (_second is not null)
        {
            await _second.DisposeAsync();
        }

        if (_first is not null)
        {
            await _first.DisposeAsync();
        }

        _agent.Dispose();
        await ScratchPostgres.DropDatabaseAsync(_store, TestTimeouts.Token());
    }

    private static async Task<ServerInfo> ReadyAsync(TestServer server) =>
        (await server.Http.GetFromJsonAsync<ServerInfo>("/readyz", BerthJson.Options, TestTimeouts.Token()))!;

    [Fact]
    public async Task TwoServers_OneLeads_BothServeTheAgentTheLeaderRuns_AndTheOtherLeadsOnceTheLeaderStops()
    {
        var first = await ReadyAsync(_first!);
        var second = await ReadyAsync(_second!);
        first.Server.ShouldNotBe(second.Server, "each server keeps its own id");
        first.Leader.ShouldBe(first.Server, "the first server to start takes the free lease");
        second.Leader.ShouldBe(first.Server, "the second learns who leads");

        // Applied through the server that does not lead: the leader starts it, and the other routes to what the leader stored.
        (await _second!.ApplyAsync(_agent.Spec(_name))).EnsureSuccessStatusCode();
        await _second.WaitRunningAsync(_name);
        foreach (var server in new[] { _first!, _second })
        {
            var answer = await Eventually.MatchAsync(
                async ct => (await server.Http.GetAsync($"/agents/{_name}/", ct)).StatusCode,
                status => status == HttpStatusCode.OK,
                $"the agent through {server.Server.Address}");
            answer.ShouldBe(HttpStatusCode.OK);
        }

        // The test server removes its agents as it stops (the leader stops them), then gives the lease up.
        await _first!.DisposeAsync();
        _first = null;

        var after = await Eventually.MatchAsync(
            _ => ReadyAsync(_second),
            info => info.Leader == second.Server,
            "the remaining server to lead once the leader gave the lease up");
        after.Leader.ShouldBe(second.Server);
        var next = $"n{Guid.NewGuid():N}"[..12];
        (await _second.ApplyAsync(_agent.Spec(next))).EnsureSuccessStatusCode();
        (await _second.WaitRunningAsync(next)).Instances.ShouldNotBeEmpty("the new leader reconciles: it starts what is applied now");
    }
}
