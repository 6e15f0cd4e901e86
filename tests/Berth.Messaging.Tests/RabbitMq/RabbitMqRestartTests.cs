using System.Collections.Concurrent;
using Berth.Core.Messaging;
using Berth.Core.Workflows;
using Berth.Testing;

namespace Berth.Messaging.Tests.RabbitMq;

/// <summary>RabbitMQ stopped and started under a running producer and consumer (<c>rabbitmqctl stop_app</c> / <c>start_app</c>).</summary>
[RequiresRabbitMq]
[DisruptsRabbitMq]
[Collection(RabbitMqServerGroup.Name)]
public sealed class RabbitMqRestartTests : IAsyncLifetime
{
    private const int Total = 300;
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(3);

    private readonly CancellationTokenSource _timeout = new(TestTimeouts.Slow);
    private RabbitMqHarness? _harness;

    public async Task InitializeAsync() => _harness = await RabbitMqHarness.CreateAsync(OperationTimeout);

    public async Task DisposeAsync()
    {
        // Whatever the test did, the server serves again for the tests after it.
        await RabbitMqServer.StartAppAsync().WaitAsync(TestTimeouts.Slow);
        if (_harness is not null)
        {
            await _harness.DisposeAsync().AsTask().WaitAsync(TestTimeouts.Slow);
        }

        _timeout.Dispose();
    }

    [Fact]
    public async Task PublishAndReceive_RabbitMqRestartedMidStream_EveryConfirmedMessageDeliveredAndNoAckedOneBack()
    {
        var (topic, subscription) = ($"t-{Guid.NewGuid():N}"[..20], $"s-{Guid.NewGuid():N}"[..20]);
        var broker = _harness!.OpenBroker();
        await broker.DeclareAsync(new MessageTopology
        {
            Topics = [new TopicSpec { Name = topic, VisibilityTimeout = TimeSpan.FromSeconds(5), MaxDeliveries = 1000 }],
            Subscriptions = [new SubscriptionSpec { Name = subscription, Topic = topic, Retry = new RedeliverySpec { Backoff = BackoffKind.Constant, InitialDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero } }],
        }, _timeout.Token);
        var confirmed = new ConcurrentDictionary<string, int>();
        var acked = new ConcurrentDictionary<string, bool>();
        var delivered = new ConcurrentDictionary<string, int>();
        var cameBack = new ConcurrentBag<string>();
        var producing = true;
        var third = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task ProduceAsync()
        {
            for (var n = 0; n < Total; n++)
            {
                while (true)
                {
                    try
                    {
                        var published = await broker.PublishAsync(topic, new OutgoingMessage { Body = n, Publisher = "token:producer" }, _timeout.Token);
                        confirmed[published.Id] = n;
                        break;
                    }
                    catch (MessageBrokerUnavailableException)
                    {
                        // Not committed: publish it again, as a client told "unavailable" would.
                    }
                }

                if (n == Total / 3)
                {
                    third.TrySetResult();
                }
            }

            Volatile.Write(ref producing, false);
        }

        async Task ConsumeAsync()
        {
            while (Volatile.Read(ref producing) || confirmed.Keys.Any(id => !acked.ContainsKey(id)))
            {
                IReadOnlyList<ReceivedMessage> batch;
                try
                {
                    batch = await broker.ReceiveAsync(subscription, 20, _timeout.Token);
                    foreach (var message in batch)
                    {
                        delivered.AddOrUpdate(message.Id, 1, (_, count) => count + 1);
                        if (acked.ContainsKey(message.Id))
                        {
                            cameBack.Add(message.Id);
                        }
                    }

                    var done = await broker.AckAsync(subscription, [.. batch.Select(m => m.AckId)], _timeout.Token);
                    foreach (var message in batch.Where(m => done.Contains(m.AckId)))
                    {
                        acked[message.Id] = true;
                    }
                }
                catch (MessageBrokerUnavailableException)
                {
                    batch = [];
                }

                if (batch.Count == 0)
                {
                    // Poll interval of an idle consumer, as a pull client has; not a synchronisation.
                    await Task.Delay(TimeSpan.FromMilliseconds(20), _timeout.Token);
                }
            }
        }

        var producer = Task.Run(ProduceAsync);
        var consumer = Task.Run(ConsumeAsync);
        await third.Task.WaitAsync(_timeout.Token);
        await RabbitMqServer.StopAppAsync().WaitAsync(_timeout.Token);

        var refused = await Should.ThrowAsync<MessageBrokerUnavailableException>(
            () => broker.PublishAsync(topic, new OutgoingMessage { Body = "during the outage", Publisher = "token:producer" }, _timeout.Token)
                .WaitAsync(OperationTimeout + TestTimeouts.Quick));
        refused.Message.ShouldContain("RabbitMQ at 127.0.0.1:5672");
        await RabbitMqServer.StartAppAsync().WaitAsync(_timeout.Token);
        await Task.WhenAll(producer, consumer).WaitAsync(_timeout.Token);

        confirmed.Count.ShouldBe(Total);
        confirmed.Keys.Where(id => !delivered.ContainsKey(id)).ShouldBeEmpty("every confirmed message is delivered at least once");
        cameBack.ShouldBeEmpty("a message whose ack was reported done is never delivered again");
        (await broker.StatsAsync(subscription, _timeout.Token)).ShouldBe(new SubscriptionStats(0, 0, 0));
    }
}
