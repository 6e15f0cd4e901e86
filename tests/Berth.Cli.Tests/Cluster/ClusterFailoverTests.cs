using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Berth.Client;
using Berth.Client.Contracts;
using Berth.Core.Agents;
using Berth.Core.Requests;
using Berth.Core.Security;
using Berth.Core.Serialization;
using Berth.Core.Workflows.Runs;
using Berth.Cli.Tests.Durability;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models;
using Berth.Testing;
using Berth.Testing.Docker;
using Berth.Testing.Postgres;
using Xunit.Abstractions;

namespace Berth.Cli.Tests.Cluster;

/// <summary>
/// Three real <c>berth server</c> processes on one PostgreSQL database with a docker agent, durable keyed traffic and a
/// running workflow: the leader is SIGKILLed, then the server that leads next. Nothing accepted is lost, a keyed request runs
/// twice only when a dead server had already delivered it, the run finishes without running its finished steps again, the
/// new leaders adopt the agent's container rather than start another, and each failover's time is written to the output.
/// </summary>
[RequiresDocker]
[RequiresPostgres]
public sealed class ClusterFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int StepCount = 8;
    private static readonly TimeSpan Whole = TimeSpan.FromMinutes(6);
    // Short leases for quick failovers; no rate limit, as the check reads back every request the traffic sent.
    private static readonly string[] Settings = ["--Berth:Leader:LeaseDuration=4s", "--Berth:Leader:RenewInterval=1s", "--Berth:RateLimit:Enabled=false"];

    private readonly string _name = $"f{Guid.NewGuid():N}"[..12];
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"berth-cluster-{Guid.NewGuid():N}"[..26]);
    private readonly List<BerthServerProcess> _servers = [];
    private readonly string _key = SecretKey.Generate().ToBase64();
    private DockerEngineClient _docker = null!;
    private string _store = "";

    private string Token => File.ReadAllText(Path.Combine(_servers[0].DataDirectory, "admin.token")).Trim();

    public async Task InitializeAsync()
    {
        _docker = await DockerTestEnvironment.RequireAsync();
        await TestImages.EnsureBusyboxAsync(_docker, TestTimeouts.Token());
        _store = await ScratchPostgres.CreateDatabaseAsync(TestTimeouts.Token());
    }

    public async Task DisposeAsync()
    {
        var failures = new List<Exception>();
        await CrashScratch.TryAsync(failures, RemoveAgentAsync);
        foreach (var server in _servers)
        {
            server.Dispose();
        }

        await CrashScratch.TryAsync(failures, RemoveEngineObjectsAsync);
        _docker.Dispose();
        await CrashScratch.TryAsync(failures, () => ScratchPostgres.DropDatabaseAsync(_store, TestTimeouts.Token()));
        await CrashScratch.TryAsync(failures, () =>
        {
            Directory.Delete(_root, recursive: true);
            return Task.CompletedTask;
        });
        if (failures.Count > 0)
        {
            throw new AggregateException("cleaning up after the failover test failed", failures);
        }
    }

    [Fact]
    public async Task LeaderKilledThenTheNextLeader_NothingAcceptedIsLost_KeyedRequestsRunOnce_TheRunFinishesWithoutRerunningSteps()
    {
        using var deadline = new CancellationTokenSource(Whole);
        var ct = deadline.Token;
        for (var i = 0; i < 3; i++)
        {
            _servers.Add(await BerthServerProcess.StartAsync(
                Path.Combine(_root, $"server-{i}"), "docker", ct, settings: Settings,
                environment: new Dictionary<string, string> { ["BERTH_STORE"] = _store, [SecretKeySource.EnvironmentVariable] = _key }));
        }

        var agent = new CountingContainerAgent(Path.Combine(_root, "www"));
        agent.AddSlowScript();
        using (var client = Client(_servers[0]))
        {
            await client.ApplyAgentAsync(agent.Spec(_name), ct);
            await client.WaitForAgentAsync(_name, AgentState.Running, TestTimeouts.Slow, null, ct);
        }

        foreach (var server in _servers)
        {
            using var http = Http(server);
            await Eventually.TrueAsync(async token => (await http.GetAsync($"agents/{_name}/health", token)).IsSuccessStatusCode,
                $"the agent through {server.Address}", cancellationToken: ct);
        }

        var runId = await StartRunAsync(ct);
        using var traffic = new KeyedTraffic(_name, _servers, Token);
        var sending = traffic.RunAsync(ct);

        // How often each step had run when it was seen finished, before a kill: a finished step must not run again.
        var finishedBeforeKills = new Dictionary<string, int>(StringComparer.Ordinal);
        var failovers = new List<TimeSpan>();
        foreach (var progress in new[] { 2, 4 })
        {
            var done = await WaitForStepsAsync(runId, progress, ct);
            var ranSoFar = StepRuns(agent);
            foreach (var step in done)
            {
                finishedBeforeKills.TryAdd(step, ranSoFar.GetValueOrDefault(step));
            }

            failovers.Add(await KillTheLeaderAsync(ct));
        }

        var survivor = _servers.Single(s => s.IsRunning);
        using var last = Client(survivor);
        var run = await Eventually.MatchAsync(
            token => last.GetRunAsync(runId, token),
            r => r.State is RunState.Succeeded or RunState.Failed or RunState.Cancelled,
            r => $"run {runId} to finish on the last server; it is {r?.State}. Server output:\n{survivor.Output}",
            cancellationToken: ct);
        traffic.Stop();
        await sending;

        run.State.ShouldBe(RunState.Succeeded, run.Error);
        var stepRuns = StepRuns(agent);
        foreach (var step in Enumerable.Range(1, StepCount).Select(i => $"s{i}"))
        {
            stepRuns.GetValueOrDefault(step).ShouldBeGreaterThanOrEqualTo(1, $"step {step} ran");
            if (finishedBeforeKills.TryGetValue(step, out var before))
            {
                // A step running when its server was killed may run again (at least once); one that had finished may not.
                stepRuns[step].ShouldBe(before, $"step {step} had finished before a kill and must not run again");
            }
        }

        var accepted = traffic.Accepted;
        accepted.Count.ShouldBeGreaterThan(0);
        var counts = agent.Runs.Where(r => r.StartsWith("req-", StringComparison.Ordinal)).GroupBy(r => r).ToDictionary(g => g.Key, g => g.Count());
        var replayed = 0;
        foreach (var (body, id) in accepted)
        {
            var detail = await Eventually.MatchAsync(
                token => last.GetRequestAsync(id, token),
                d => d.Request.State == RequestState.Completed,
                d => $"request {id} ({body}) accepted during the failovers is {d?.Request.State}",
                cancellationToken: ct);
            counts.GetValueOrDefault(body).ShouldBeGreaterThanOrEqualTo(1, $"{body} was accepted, so it must run");
            if (counts[body] > 1)
            {
                // Delivered by a server that died before it could store the answer, then replayed when its lease ran out.
                detail.Request.Attempts.ShouldBeGreaterThan(1, $"{body} ran {counts[body]} times without a replay");
                replayed++;
            }
        }

        var containers = await _docker.ListContainersAsync(new ContainerListQuery { Labels = [$"berth.agent={_name}"] }, ct);
        containers.Count.ShouldBe(1, "each new leader adopts the running container instead of starting another");

        output.WriteLine($"failover (leader killed until a survivor leads): {string.Join(", ", failovers.Select(f => $"{f.TotalSeconds:F1}s"))}");
        output.WriteLine($"steps run again after their server was killed mid-step: {stepRuns.Values.Sum() - StepCount}");
        output.WriteLine($"keyed requests accepted: {accepted.Count}; sent again to another server after a failure: {traffic.Resent}; " +
                         $"run twice after a dead server had delivered them: {replayed}");
    }

    /// <summary>How often each step ran, by step id (a step's body is <c>"wf-ID"</c>).</summary>
    private static Dictionary<string, int> StepRuns(CountingContainerAgent agent) =>
        agent.Runs.Where(r => r.StartsWith("\"wf-", StringComparison.Ordinal))
            .GroupBy(r => r.Trim('"')["wf-".Length..], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    private async Task<string> StartRunAsync(CancellationToken ct)
    {
        var yaml = new StringBuilder($"apiVersion: berth/v1\nkind: Workflow\nmetadata: {{ name: {_name} }}\nspec:\n  concurrency: 1\n  steps:\n");
        for (var i = 1; i <= StepCount; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"    - id: s{i}\n");
            if (i > 1)
            {
                yaml.Append(CultureInfo.InvariantCulture, $"      dependsOn: [s{i - 1}]\n");
            }

            yaml.Append(CultureInfo.InvariantCulture, $"      agent: {{ name: {_name}, path: /cgi-bin/slow, body: \"wf-s{i}\" }}\n");
        }

        using var http = Http(_servers[0]);
        using var applied = await http.PutAsync($"api/v1/workflows/{_name}", new StringContent(yaml.ToString(), Encoding.UTF8, "application/yaml"), ct);
        applied.IsSuccessStatusCode.ShouldBeTrue(await applied.Content.ReadAsStringAsync(ct));
        using var client = Client(_servers[0]);
        return (await client.StartRunAsync(_name, null, ct)).Id;
    }

    private async Task<IReadOnlyList<string>> WaitForStepsAsync(string runId, int count, CancellationToken ct)
    {
        var server = _servers.First(s => s.IsRunning);
        using var client = Client(server);
        var run = await Eventually.MatchAsync(
            token => client.GetRunAsync(runId, token),
            r => r.Steps!.Count(s => s.State == StepState.Succeeded) >= count,
            r => $"run {runId} to finish {count} steps; it is {r?.State}. Server output:\n{server.Output}",
            cancellationToken: ct);
        return [.. run.Steps!.Where(s => s.State == StepState.Succeeded).Select(s => s.Id)];
    }

    /// <summary>SIGKILLs the server that leads; returns the time until one of the others leads.</summary>
    private async Task<TimeSpan> KillTheLeaderAsync(CancellationToken ct)
    {
        var infos = new Dictionary<BerthServerProcess, ServerInfo>();
        foreach (var server in _servers.Where(s => s.IsRunning))
        {
            infos[server] = await ReadyAsync(server, ct);
        }

        var leaderId = infos.Values.First().Leader.ShouldNotBeNull("a server leads");
        var leader = infos.Single(i => i.Value.Server == leaderId).Key;
        var clock = Stopwatch.StartNew();
        await leader.KillAsync(ct);
        var survivors = infos.Keys.Where(s => s != leader).ToList();
        await Eventually.TrueAsync(
            async token => (await ReadyAsync(survivors[0], token)).Leader is { } next && next != leaderId && infos.Values.Any(i => i.Server == next),
            "another server to lead once the leader was killed", cancellationToken: ct);
        return clock.Elapsed;
    }

    private Task<ServerInfo> ReadyAsync(BerthServerProcess server, CancellationToken ct) => server.ReadyAsync(Token, ct);

    private HttpClient Http(BerthServerProcess server) => server.Http(Token);

    private BerthClient Client(BerthServerProcess server) => server.Client(Token);

    private async Task RemoveAgentAsync()
    {
        if (_servers.FirstOrDefault(s => s.IsRunning) is not { } server)
        {
            return;
        }

        using var client = Client(server);
        await client.RemoveAgentAsync(_name, TimeSpan.FromSeconds(30), TestTimeouts.Token());
    }

    // A safety net for what killed servers or a failed removal leave behind.
    private async Task RemoveEngineObjectsAsync()
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Slow);
        await _docker.RemoveLabelledAsync(LabelledEngineObjects.OfAgent(_name), cts.Token);
    }

    /// <summary>
    /// One caller sending keyed requests one after another to the live servers in turn; a request whose server fails or dies
    /// is sent again, with the same key, to the next one, as a client behind a load balancer would.
    /// </summary>
    private sealed class KeyedTraffic(string agent, List<BerthServerProcess> servers, string token) : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly ConcurrentDictionary<BerthServerProcess, HttpClient> _clients = new();
        private readonly List<(string Body, string Id)> _accepted = [];

        public IReadOnlyList<(string Body, string Id)> Accepted
        {
            get
            {
                lock (_accepted)
                {
                    return [.. _accepted];
                }
            }
        }

        public int Resent { get; private set; }

        public void Stop() => _stop.Cancel();

        public async Task RunAsync(CancellationToken ct)
        {
            using var both = CancellationTokenSource.CreateLinkedTokenSource(ct, _stop.Token);
            for (var i = 0; !both.IsCancellationRequested; i++)
            {
                var body = $"req-{agent}-{i:D5}";
                for (var attempt = 0; !both.IsCancellationRequested; attempt++)
                {
                    var live = servers.Where(s => s.IsRunning).ToList();
                    if (await TrySendAsync(live[(i + attempt) % live.Count], body, $"{agent}-{i}", both.Token) is { } id)
                    {
                        lock (_accepted)
                        {
                            _accepted.Add((body, id));
                        }

                        break;
                    }

                    Resent++;
                }
            }
        }

        public void Dispose()
        {
            foreach (var client in _clients.Values)
            {
                client.Dispose();
            }

            _stop.Dispose();
        }

        private async Task<string?> TrySendAsync(BerthServerProcess server, string body, string key, CancellationToken ct)
        {
            var http = _clients.GetOrAdd(server, s =>
            {
                var client = new HttpClient { BaseAddress = s.Address, Timeout = TimeSpan.FromSeconds(60) };
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                return client;
            });
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"agents/{agent}/cgi-bin/count") { Content = new StringContent(body, Encoding.UTF8, "text/plain") };
                request.Headers.Add("Idempotency-Key", key);
                request.Headers.Add("Berth-Wait", "20s");
                using var response = await http.SendAsync(request, ct);
                return response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted && response.Headers.TryGetValues("Berth-Request-Id", out var ids)
                    ? ids.Single()
                    : null;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                return null;
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }
}
