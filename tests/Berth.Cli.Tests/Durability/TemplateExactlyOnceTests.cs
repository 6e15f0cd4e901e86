using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Client.Contracts;
using Berth.Cli.Tests.Init;
using Berth.Core.Agents;
using Berth.Core.Requests;
using Berth.Core.Specs;
using Berth.Testing;
using Xunit.Abstractions;

namespace Berth.Cli.Tests.Durability;

/// <summary>
/// The chaos test of the templates' exactly-once record: the python template agent (process runtime) behind a real
/// <c>berth server</c> process, 600 keyed requests in flight, the server SIGKILLed three times. Berth redelivers what it
/// stored (at least once); the agent's record must turn that into exactly once: every key completes, and the agent's own
/// record (one line per execution) holds every key exactly once.
/// </summary>
public sealed class TemplateExactlyOnceTests(ITestOutputHelper output) : IDisposable
{
    private const int RequestCount = 600;
    private const int Senders = 8;
    private const int Kills = 3;

    private readonly CrashScratch _scratch = new("berth-once");
    private readonly ConcurrentDictionary<string, string> _answered = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _stored = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _requestIds = new(StringComparer.Ordinal);
    private TaskCompletionSource<Generation> _current = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string _name = "";

    public void Dispose()
    {
        if (_scratch.Running is { } server)
        {
            using var client = _scratch.Client(server);
            client.RemoveAgentAsync(_name, TimeSpan.FromSeconds(30), TestTimeouts.Token()).GetAwaiter().GetResult();
        }

        _scratch.StopServers();
        _scratch.Delete();
    }

    [Fact]
    public async Task TemplateAgent_ServerKilledThreeTimesUnder600KeyedRequests_NoneLostNoneExecutedTwice()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        var ct = deadline.Token;
        using var project = await InitProject.CreateAsync("agent", "python");
        _name = project.Name;
        var record = Path.Combine(_scratch.Root, "record");
        Directory.CreateDirectory(record);
        File.SetUnixFileMode(record, (UnixFileMode)0b111_111_111); // the agent runs as its own user and writes its record here
        File.SetUnixFileMode(_scratch.Root, (UnixFileMode)0b111_101_101);
        var spec = SpecReader.Read(project.Read("agent.yaml"), new SpecReadOptions { BaseDirectory = project.Folder }).Agents.Single();
        spec = spec with { Env = new Dictionary<string, string> { ["IDEMPOTENCY_DIR"] = record } };

        var first = await StartAsync(ct);
        await first.Client.ApplyAgentAsync(spec, ct);
        await first.Client.WaitForAgentAsync(_name, AgentState.Running, TestTimeouts.Slow, null, ct);

        var keys = Enumerable.Range(1, RequestCount).Select(i => $"once-{i:D3}-{Guid.NewGuid():N}").ToList();
        var queue = new ConcurrentQueue<string>(keys);
        var senders = Enumerable.Range(0, Senders).Select(_ => Task.Run(() => SendAllAsync(queue, ct), ct)).ToList();
        for (var kill = 1; kill <= Kills; kill++)
        {
            var threshold = kill * RequestCount / (Kills + 1);
            await Eventually.TrueAsync(() => Finished >= threshold || senders.All(s => s.IsCompleted), $"{threshold} requests answered before kill {kill}", TimeSpan.FromMinutes(2));
            await RestartAsync(ct);
        }

        await Task.WhenAll(senders).WaitAsync(TimeSpan.FromMinutes(3), ct);
        var last = await _current.Task;
        foreach (var (key, location) in _stored)
        {
            _answered[key] = await WaitCompletedAsync(last, location, ct);
        }

        var executions = File.ReadAllLines(Path.Combine(record, "records.jsonl"))
            .Select(line => JsonNode.Parse(line)!["key"]!.GetValue<string>())
            .GroupBy(key => key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        // The agent keys its record by Berth-Request-Id, the stored request Berth made of each Idempotency-Key.
        var lost = keys.Count(k => !_answered.ContainsKey(k) || !executions.ContainsKey(_requestIds[k]));
        var duplicates = executions.Values.Sum(n => n - 1);
        var stored = await last.Client.ListRequestsAsync(_name, limit: 1000, cancellationToken: ct);
        var redelivered = stored.Count(r => r.Attempts > 1);

        executions.Count.ShouldBe(RequestCount, "the agent ran something no caller sent");
        output.WriteLine($"requests {RequestCount}, server kills {Kills}, answered after a 202 {_stored.Count}, attempted more than once {redelivered}, lost {lost}, duplicate executions at the agent {duplicates}");

        redelivered.ShouldBeGreaterThan(0, "the kills must catch requests in flight, or this test proves nothing about redelivery");
        lost.ShouldBe(0, "every keyed request must complete and run at the agent");
        duplicates.ShouldBe(0, "Berth redelivers after a crash; the template's record must keep the agent from running a request twice");
        foreach (var key in keys)
        {
            JsonNode.Parse(_answered[key])!["text"]!.GetValue<string>().ShouldBe($"job {key}", "each caller gets the answer to its own request");
        }
    }

    private int Finished => _answered.Count + _stored.Count;

    /// <summary>Sends keys until none are left; a key whose call broke (the server died) is sent again with the same key.</summary>
    private async Task SendAllAsync(ConcurrentQueue<string> queue, CancellationToken ct)
    {
        while (queue.TryDequeue(out var key))
        {
            for (var attempt = 1; ; attempt++)
            {
                var generation = await _current.Task.WaitAsync(ct);
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, $"agents/{_name}/invoke")
                    {
                        Content = new StringContent($$"""{"text": "job {{key}}"}""", Encoding.UTF8, "application/json"),
                    };
                    request.Headers.Add("Idempotency-Key", key);
                    using var response = await generation.Http.SendAsync(request, ct);
                    var body = await response.Content.ReadAsStringAsync(ct);
                    _requestIds[key] = response.Headers.GetValues("Berth-Request-Id").Single();
                    if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        _stored[key] = response.Headers.Location.ShouldNotBeNull().OriginalString.Split('/')[^1];
                        break;
                    }

                    response.StatusCode.ShouldBe(HttpStatusCode.OK, $"key {key}: {body}");
                    _answered[key] = body;
                    break;
                }
                catch (HttpRequestException) when (attempt < 20)
                {
                    // The server was killed under this call: whether Berth stored it is unknown, so send it again with its key.
                    await generation.Killed.Task.WaitAsync(ct);
                }
            }
        }
    }

    private async Task<Generation> StartAsync(CancellationToken ct)
    {
        var server = await _scratch.StartServerAsync(ct, "process");
        var generation = new Generation(server, _scratch.Client(server), new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(2) });
        generation.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _scratch.AdminToken);
        _current.SetResult(generation);
        return generation;
    }

    private async Task RestartAsync(CancellationToken ct)
    {
        var old = await _current.Task;
        _current = new TaskCompletionSource<Generation>(TaskCreationOptions.RunContinuationsAsynchronously);
        await old.Server.KillAsync(ct);
        old.Killed.SetResult();
        await StartAsync(ct);
    }

    private static async Task<string> WaitCompletedAsync(Generation generation, string id, CancellationToken ct)
    {
        var detail = await Eventually.MatchAsync(
            token => generation.Client.GetRequestAsync(id, token),
            d => d.Request.State == RequestState.Completed,
            last => $"request {id} did not complete: {last?.Request.State} after {last?.Request.Attempts} attempts ({last?.Request.LastError}). Server output:\n{generation.Server.Output}",
            cancellationToken: ct);
        detail.Response!.Status.ShouldBe(200);
        return detail.Response.Message.Body;
    }

    /// <summary>One server process between two kills, and the clients that talk to it.</summary>
    private sealed record Generation(BerthServerProcess Server, BerthClient Client, HttpClient Http)
    {
        public TaskCompletionSource Killed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
