using System.Net;
using System.Net.Http.Json;
using Berth.Client.Contracts;
using Berth.Core.Security;
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
        _second = await TestServer.StartAsync(dataDir: ClusterDataDirs.WithKeyOf(_first), extraArgs: args);
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

    [Fact]
    public async Task OneIdempotencyKey_SentToBothServersAtOnce_RunsOnce_AndBothAnswerWithTheOneRequest()
    {
        (await _first!.ApplyAsync(_agent.Spec(_name))).EnsureSuccessStatusCode();
        await _first.WaitRunningAsync(_name);
        foreach (var server in new[] { _first, _second! })
        {
            await Eventually.MatchAsync(
                async ct => (await server.Http.GetAsync($"/agents/{_name}/", ct)).StatusCode,
                status => status == HttpStatusCode.OK,
                $"the agent through {server.Server.Address}");
        }

        // One caller (one token, so one idempotency scope) retrying through whichever server its balancer picks.
        using var viaSecond = _second!.CreateHttp(_first.AdminToken);
        HttpClient[] clients = [_first.Http, viaSecond];
        const int Rounds = 10;
        for (var round = 0; round < Rounds; round++)
        {
            var key = $"k-{round}-{Guid.NewGuid():N}";
            var answers = await Task.WhenAll(clients.Select(async client =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/agents/{_name}/cgi-bin/count") { Content = new StringContent($"round {round}") };
                request.Headers.Add("Idempotency-Key", key);
                using var response = await client.SendAsync(request, TestTimeouts.Token());
                var id = response.Headers.TryGetValues("Berth-Request-Id", out var ids) ? ids.Single() : await response.Content.ReadAsStringAsync();
                return (response.StatusCode, Id: id);
            }));

            answers.ShouldAllBe(a => a.StatusCode == HttpStatusCode.OK);
            answers[1].Id.ShouldBe(answers[0].Id, $"round {round}: one key, one request, whichever server took it");
        }

        _agent.Executions.ShouldBe(Rounds, "each key ran once although both servers were sent it");
    }

    [Fact]
    public async Task AThirdServerWithAnotherSecretsKey_IsRefusedAtStart_NamingTheSharedKey()
    {
        var error = await Should.ThrowAsync<BerthServerStartException>(() => TestServer.StartAsync(extraArgs: ["--store", _store]));

        error.Message.ShouldContain("not the key the store was written with");
        error.Message.ShouldContain(SecretKeySource.EnvironmentVariable);
        (await ReadyAsync(_first!)).Server.ShouldNotBeNullOrEmpty("the servers with the right key go on serving");
    }

    [Fact]
    public async Task ARunCancelledThroughTheServerNotExecutingIt_IsStoppedByTheOneThatIs()
    {
        (await _first!.ApplyAsync(_agent.Spec(_name))).EnsureSuccessStatusCode();
        await _first.WaitRunningAsync(_name);
        var yaml = $"apiVersion: berth/v1\nkind: Workflow\nmetadata: {{ name: {_name} }}\nspec:\n  steps:\n" +
                   $"    - id: wait\n      agent: {{ name: {_name}, path: /cgi-bin/slow }}\n";
        (await _first.Http.PutAsync($"/api/v1/workflows/{_name}", new StringContent(yaml, System.Text.Encoding.UTF8, "application/yaml"), TestTimeouts.Token()))
            .EnsureSuccessStatusCode();
        var started = await _first.Http.PostAsync($"/api/v1/workflows/{_name}/runs", null, TestTimeouts.Token());
        var runId = (await started.Content.ReadFromJsonAsync<RunView>(BerthJson.Options, TestTimeouts.Token()))!.Id;

        var owner = await Eventually.MatchAsync(_ => LeaseOwnerAsync(runId), o => o is not null, $"a server to execute run {runId}");
        var other = (await ReadyAsync(_first)).Server == owner ? _second! : _first;
        (await other.Http.PostAsync($"/api/v1/runs/{runId}/cancel", null, TestTimeouts.Token())).EnsureSuccessStatusCode();

        var run = await Eventually.MatchAsync(
            async ct => (await other.Http.GetFromJsonAsync<RunView>($"/api/v1/runs/{runId}", BerthJson.Options, ct))!,
            r => r.State == Berth.Core.Workflows.Runs.RunState.Cancelled,
            $"run {runId} to be cancelled");
        run.Error.ShouldNotBeNull().ShouldContain("cancelled by");

        // Only the executing server, stopping its step, stores step.cancelled; a cancel written past it would not.
        var events = await other.Http.GetStringAsync($"/api/v1/runs/{runId}/events", TestTimeouts.Token());
        events.ShouldContain("event: step.cancelled", customMessage: "the server executing the run stopped its step");
    }

    private async Task<string?> LeaseOwnerAsync(string runId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(ScratchPostgres.ConnectionString(_store));
        await connection.OpenAsync(TestTimeouts.Token());
        await using var command = new Npgsql.NpgsqlCommand("SELECT lease_owner FROM runs WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", runId);
        return await command.ExecuteScalarAsync(TestTimeouts.Token()) as string;
    }
}
