using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Client.Contracts;
using Berth.Client.Errors;
using Berth.Core.Agents;
using Berth.Core.Messaging;
using Berth.Core.Specs;
using Berth.Core.Workflows;
using Berth.Testing;
using Berth.Testing.Agents;

namespace Berth.Cli.Tests.Durability;

/// <summary>Messaging on the embedded store across a SIGKILL of the real <c>berth server</c> process.</summary>
public sealed class MessagingCrashTests : IDisposable
{
    private static readonly TimeSpan Whole = TimeSpan.FromMinutes(4);

    private readonly CrashScratch _scratch = new("berth-msgcrash");

    public void Dispose()
    {
        _scratch.StopServers();
        _scratch.Delete();
    }

    [Fact]
    public async Task Sigkill_WhileAProducerAndTwoConsumersRun_EveryMessageReachesBothSubscriptionsAndNoAckedOneComesBack()
    {
        const int count = 300;
        using var deadline = new CancellationTokenSource(Whole);
        var ct = deadline.Token;
        var live = new LiveServer(_scratch, await _scratch.StartServerAsync(ct, "process"));
        var topic = $"t{Guid.NewGuid():N}"[..12];
        string[] subscriptions = [$"a{topic}", $"b{topic}"];
        await live.Client.ApplyTopicAsync(new TopicSpec { Name = topic }, ct);
        foreach (var subscription in subscriptions)
        {
            await live.Client.ApplySubscriptionAsync(new SubscriptionSpec { Name = subscription, Topic = topic }, ct);
        }

        var published = new ConcurrentDictionary<int, string>();
        var consumers = subscriptions.Select(s => new Consumer(s)).ToList();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var producing = ProduceAsync(live, topic, count, published, ct);
        var consuming = consumers.Select(c => c.RunAsync(live, stop.Token)).ToList();

        await Eventually.TrueAsync(_ => Task.FromResult(published.Count >= count / 3 && consumers.All(c => !c.Acked.IsEmpty)), "a third published and some acked", cancellationToken: ct);
        await live.Server.KillAsync(ct);
        live.Server = await _scratch.StartServerAsync(ct, "process");
        await producing;
        var ids = published.Values.ToHashSet();
        foreach (var consumer in consumers)
        {
            await Eventually.TrueAsync(_ => Task.FromResult(ids.IsSubsetOf(consumer.Seen.Keys)), $"every published message to reach {consumer.Subscription}", cancellationToken: ct);
        }

        await stop.CancelAsync();
        await Task.WhenAll(consuming);

        ids.Count.ShouldBe(count, "a retried publish keeps its Message-Id, so each of the 300 has one id");
        foreach (var consumer in consumers)
        {
            consumer.Seen.Keys.Where(id => !ids.Contains(id)).ShouldBeEmpty($"{consumer.Subscription} got messages nobody published");
            consumer.CameBack.ShouldBeEmpty($"{consumer.Subscription} was delivered messages it had acked");
        }
    }

    [Fact]
    public async Task Sigkill_WhileMessagesTriggerRuns_OneRunPerMessage()
    {
        const int count = 30;
        using var deadline = new CancellationTokenSource(Whole);
        var ct = deadline.Token;
        using var agent = new BusyboxHttpAgent();
        var name = $"w{Guid.NewGuid():N}"[..12];
        var live = new LiveServer(_scratch, await _scratch.StartServerAsync(ct, "process"));
        await live.Client.ApplyAgentAsync(agent.Spec(name), ct);
        await live.Client.WaitForAgentAsync(name, AgentState.Running, TestTimeouts.Slow, null, ct);
        await live.Client.ApplyTopicAsync(new TopicSpec { Name = name }, ct);
        await live.Client.ApplyWorkflowAsync(
            new WorkflowSpec
            {
                Name = name,
                On = new WorkflowTriggerSpec { Message = new MessageTriggerSpec { Topic = name } },
                Steps = [new StepSpec { Id = "call", Agent = new AgentStepSpec { Name = name, Method = "POST", Path = "/cgi-bin/count", Body = "${{ trigger.message.body }}" } }],
            },
            ct);
        await Eventually.TrueAsync(
            async token => (await live.Client.GetTopicAsync(name, token)).Subscriptions.Contains($"workflow/{name}"), "the trigger to subscribe", cancellationToken: ct);

        var published = new ConcurrentDictionary<int, string>();
        var producing = ProduceAsync(live, name, count, published, ct);
        await Eventually.TrueAsync(async token => (await live.Client.ListRunsAsync(name, null, 100, token)).Count > 0, "a first triggered run", cancellationToken: ct);
        await live.Server.KillAsync(ct);
        live.Server = await _scratch.StartServerAsync(ct, "process");
        await producing;

        var runs = await Eventually.MatchAsync(
            token => live.Client.ListRunsAsync(name, null, 200, token),
            r => r.Select(run => run.StartedBy).Distinct().Count() == count,
            "a run for every message",
            cancellationToken: ct);
        runs.Count.ShouldBe(count, "each message must start exactly one run, the crash notwithstanding");
        runs.Select(r => r.StartedBy).ToHashSet().ShouldBe(published.Values.Select(id => $"message:{id}").ToHashSet(), ignoreOrder: true);
    }

    /// <summary>Publishes 1..<paramref name="count"/>, each with its own Message-Id, retrying across the crash until each is stored.</summary>
    private static async Task ProduceAsync(LiveServer live, string topic, int count, ConcurrentDictionary<int, string> published, CancellationToken ct)
    {
        for (var i = 1; i <= count; i++)
        {
            var request = new PublishRequest { Body = new JsonObject { ["n"] = i }, Id = $"m-{i}" };
            published[i] = (await live.RetryAsync(client => client.PublishAsync(topic, request, ct), ct)).Id;
        }
    }

    /// <summary>The server the clients talk to: swapped for the restarted one after the crash.</summary>
    private sealed class LiveServer(CrashScratch scratch, BerthServerProcess server)
    {
        private volatile BerthServerProcess _server = server;
        private volatile BerthClient _client = scratch.Client(server);

        public BerthServerProcess Server
        {
            get => _server;
            set
            {
                _server = value;
                _client = scratch.Client(value);
            }
        }

        public BerthClient Client => _client;

        /// <summary>Calls the current server until it answers: a call cut by the crash is made again on the new one.</summary>
        public async Task<T> RetryAsync<T>(Func<BerthClient, Task<T>> call, CancellationToken ct)
        {
            while (true)
            {
                try
                {
                    return await call(_client);
                }
                catch (Exception ex) when (ex is HttpRequestException or BerthUnavailableException or BerthApiException { Status: >= 500 or 429 } or TaskCanceledException && !ct.IsCancellationRequested)
                {
                    // The server is down (or coming up), or says to slow down: the client backs off and asks again.
                    await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
                }
            }
        }
    }

    /// <summary>Receives from one subscription and acks what it gets, noting anything delivered after its ack succeeded.</summary>
    private sealed class Consumer(string subscription)
    {
        public string Subscription { get; } = subscription;

        public ConcurrentDictionary<string, int> Seen { get; } = new();

        public ConcurrentDictionary<string, bool> Acked { get; } = new();

        public ConcurrentBag<string> CameBack { get; } = [];

        public async Task RunAsync(LiveServer live, CancellationToken stop)
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    var batch = await live.RetryAsync(c => c.ReceiveAsync(Subscription, 50, TimeSpan.FromSeconds(1), stop), stop);
                    foreach (var message in batch)
                    {
                        if (Acked.ContainsKey(message.Id))
                        {
                            CameBack.Add(message.Id);
                        }

                        Seen.AddOrUpdate(message.Id, 1, (_, n) => n + 1);
                    }

                    if (batch.Count > 0)
                    {
                        var settled = await live.RetryAsync(c => c.AckAsync(Subscription, [.. batch.Select(m => m.AckId)], stop), stop);
                        foreach (var message in batch.Where(m => settled.Settled.Contains(m.AckId)))
                        {
                            Acked[message.Id] = true;
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Done: every message was seen.
            }
        }
    }
}
