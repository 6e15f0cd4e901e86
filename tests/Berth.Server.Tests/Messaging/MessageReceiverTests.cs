using System.Text.Json.Nodes;
using Berth.Core.Messaging;
using Berth.Core.Storage;
using Berth.Server.Messaging;
using Berth.Server.Tests.Fakes;
using Berth.Storage;
using Berth.Storage.Sql;
using Berth.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Server.Tests.Messaging;

/// <summary>The long-poll receive over the embedded broker on a real SQLite file, with a clock that only the test moves.</summary>
public sealed class MessageReceiverTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "berth-receiver-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly SubscriptionSignals _signals = new();
    private ServiceProvider _services = null!;
    private LookHookBroker _broker = null!;
    private MessagingTopology _topology = null!;

    public async Task InitializeAsync()
    {
        _services = new ServiceCollection().AddLogging().AddSqliteStore(Path.Combine(_directory, "berth.db")).BuildServiceProvider();
        await _services.GetRequiredService<IStoreInitializer>().InitializeAsync(TestTimeouts.Token());
        _broker = new LookHookBroker(_services.GetRequiredService<EmbeddedMessageBroker>());
        _topology = new MessagingTopology(
            _services.GetRequiredService<ITopicStore>(), _services.GetRequiredService<IAgentStore>(), _services.GetRequiredService<IWorkflowStore>(), _broker);
    }

    public async Task DisposeAsync()
    {
        _topology.Dispose();
        await _services.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task ReceiveAsync_PublishLandsBetweenAnEmptyLookAndTheWait_AnswersItWithoutWaitingForTheRecheck()
    {
        var topic = Messages.NewName("t");
        var subscription = Messages.NewName("s");
        var topics = _services.GetRequiredService<ITopicStore>();
        await topics.ApplyTopicAsync(new TopicSpec { Name = topic }, TestTimeouts.Token());
        await topics.ApplySubscriptionAsync(new SubscriptionSpec { Name = subscription, Topic = topic }, TestTimeouts.Token());
        await _topology.RefreshAsync(TestTimeouts.Token());
        var publisher = new MessagePublisher(_broker, _topology, _signals);
        var published = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _broker.AfterNextEmptyLook(async () =>
        {
            var result = await publisher.PublishAsync(topic, new OutgoingMessage { Body = new JsonObject { ["n"] = 1 }, Publisher = "test" }, TestTimeouts.Token());
            published.SetResult(result.Id);
        });
        var receiver = new MessageReceiver(_broker, _topology, _signals, _clock);

        // The clock never moves: only the publish's pulse can end the wait, so a pulse the receiver missed hangs it until the timeout.
        var received = await receiver.ReceiveAsync(subscription, max: 10, wait: TimeSpan.FromSeconds(20), TestTimeouts.Token())
            .WaitAsync(TestTimeouts.Quick);

        received.Select(m => m.Id).ShouldBe([await published.Task.WaitAsync(TestTimeouts.Quick)],
            "the message published while the receiver was between its empty look and its wait must wake it at once");
        _broker.Looks.ShouldBe(2, "one empty look, then one look after the pulse");
    }
}
