using System.Text.Json.Nodes;
using Berth.Core.Messaging;
using Berth.Storage.Sql;
using Berth.Testing;

namespace Berth.Messaging.Tests.Embedded;

/// <summary>Hostile and out-of-bounds input to the embedded broker: refused before anything is written, naming what is wrong.</summary>
public abstract class EmbeddedBrokerInputTests(StoreEngine engine) : IAsyncLifetime
{
    private EmbeddedDatabase _database = null!;
    private EmbeddedMessageBroker _broker = null!;

    public async Task InitializeAsync()
    {
        _database = await EmbeddedDatabase.CreateAsync(engine);
        _broker = _database.OpenBroker();
        await _broker.DeclareAsync(new MessageTopology
        {
            Topics = [new TopicSpec { Name = "t" }, Mailboxes.Topic("alice")],
            Subscriptions = [new SubscriptionSpec { Name = "s", Topic = "t" }, Mailboxes.Subscription("alice")],
        }, Token());
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    public static TheoryData<string, OutgoingMessage> BadMessages() => new()
    {
        { "key", Message() with { Key = "line\nbreak" } },
        { "key", Message() with { Key = new string('k', MessageLimits.MaxTextLength + 1) } },
        { "Message-Id", Message() with { DedupeId = "" } },
        { "correlationId", Message() with { CorrelationId = "a\u0000b" } },
        { "attributes", Message() with { Attributes = new Dictionary<string, string> { ["bad name"] = "x" } } },
        { "attributes", Message() with { Attributes = Enumerable.Range(0, MessageLimits.MaxAttributes + 1).ToDictionary(i => $"a{i}", i => "x") } },
        { "publisher", Message() with { Publisher = "" } },
        { "replyTo", Message() with { ReplyTo = "agent/x\r\nInjected: yes" } },
        { "body", Message() with { Body = JsonValue.Create(new string('x', MessageLimits.MaxBodyBytes)) } },
    };

    [Theory]
    [MemberData(nameof(BadMessages))]
    public async Task PublishAsync_MessageOutOfBounds_RefusedNamingTheFieldAndNothingStored(string field, OutgoingMessage message)
    {
        var refused = await Should.ThrowAsync<ArgumentException>(() => _broker.PublishAsync("t", message, Token()));

        refused.Message.ShouldContain(field);
        (await _database.CountAsync("SELECT COUNT(*) FROM messages")).ShouldBe(0);
    }

    [Fact]
    public async Task PublishAsync_BodyOfNonAsciiTextJustUnderTheBound_Accepted()
    {
        // 'é' is 2 bytes of UTF-8; stored escaped as \u00e9 it would be 6 and break the bound.
        var body = JsonValue.Create(new string('é', (MessageLimits.MaxBodyBytes / 2) - 2));

        var published = await _broker.PublishAsync("t", Message() with { Body = body }, Token());

        (await _broker.GetAsync(published.Id, Token()))!.Body!.GetValue<string>().ShouldBe(body.GetValue<string>());
    }

    [Fact]
    public async Task PublishAsync_ToAMailbox_DeliveredToItsAgentsSubscription()
    {
        var published = await _broker.PublishAsync(Mailboxes.Of("alice"), Message() with { ReplyTo = Mailboxes.Of("bob"), CorrelationId = "c-1" }, Token());

        var received = (await _broker.ReceiveAsync(Mailboxes.Of("alice"), 10, Token())).Single();
        received.Id.ShouldBe(published.Id);
        received.ReplyTo.ShouldBe("agent/bob");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(MessageLimits.MaxReceive + 1)]
    public async Task ReceiveAsync_MaxOutOfRange_Refused(int max) =>
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => _broker.ReceiveAsync("s", max, Token()));

    [Fact]
    public async Task AckAsync_MoreIdsThanAReceiveHandsOut_Refused() =>
        await Should.ThrowAsync<ArgumentException>(() => _broker.AckAsync("s", [.. Enumerable.Range(0, MessageLimits.MaxReceive + 1).Select(i => $"{i}.x")], Token()));

    [Theory]
    [InlineData(-1)]
    [InlineData(100 * 24 * 3600)]
    public async Task NackAsync_DelayOutOfRange_Refused(int seconds) =>
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => _broker.NackAsync("s", "1." + new string('0', 32), TimeSpan.FromSeconds(seconds), null, Token()));

    [Fact]
    public async Task NackAsync_ReasonWithControlCharactersAndTooLong_StoredPrintableAndBounded()
    {
        await _broker.PublishAsync("t", Message(), Token());
        var received = (await _broker.ReceiveAsync("s", 1, Token())).Single();

        (await _broker.NackAsync("s", received.AckId, TimeSpan.FromMinutes(1), "bad\r\nthing" + new string('x', 1000), Token())).ShouldBeTrue();

        var entry = (await _broker.ListAsync(new MessageQuery { Subscription = "s" }, Token())).Single();
        entry.LastError.ShouldNotBeNull().Length.ShouldBe(MessageLimits.MaxTextLength);
        entry.LastError.ShouldStartWith("bad  thing");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(MessageLimits.MaxReceive + 1)]
    public async Task ListAsync_LimitOutOfRange_Refused(int limit) =>
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => _broker.ListAsync(new MessageQuery { Limit = limit }, Token()));

    [Fact]
    public async Task ListAsync_ByTopicIdAndState_ReturnsOnlyMatchingEntriesOldestFirst()
    {
        var first = await _broker.PublishAsync("t", Message(), Token());
        var second = await _broker.PublishAsync("t", Message(), Token());
        await _broker.PublishAsync(Mailboxes.Of("alice"), Message(), Token());
        await _broker.ReceiveAsync("s", 1, Token());

        (await _broker.ListAsync(new MessageQuery { Topic = "t" }, Token())).Select(e => e.Id).ShouldBe([first.Id, second.Id]);
        (await _broker.ListAsync(new MessageQuery { Id = second.Id }, Token())).Single().State.ShouldBe(DeliveryState.Ready);
        (await _broker.ListAsync(new MessageQuery { State = DeliveryState.Leased }, Token())).Single().Id.ShouldBe(first.Id);
        (await _broker.ListAsync(new MessageQuery { Limit = 2 }, Token())).Count.ShouldBe(2);
        (await _broker.ListAsync(new MessageQuery(), Token())).Select(e => e.Subscription).ShouldBe(["s", "s", "agent/alice"]);
    }

    [Fact]
    public async Task RemoveTopicAsync_WithMessagesAndDedupeIds_ForgetsThemAll()
    {
        var published = await _broker.PublishAsync("t", Message() with { DedupeId = "m-1" }, Token());
        await _broker.RemoveSubscriptionAsync("s", Token());

        (await _broker.RemoveTopicAsync("t", Token())).ShouldBeTrue();

        await Should.ThrowAsync<UnknownTopicException>(() => _broker.PublishAsync("t", Message(), Token()));
        (await _broker.GetAsync(published.Id, Token())).ShouldBeNull();
        (await _database.CountAsync("SELECT COUNT(*) FROM message_dedupe")).ShouldBe(0);
        (await _broker.RemoveTopicAsync("t", Token())).ShouldBeFalse("nothing is left of it");
    }

    [Fact]
    public async Task SubscribeAsync_PublishAndDuplicate_AnnouncesTheTopicOnceAndNothingAfterDispose()
    {
        var announced = new List<string>();
        var registration = await _broker.SubscribeAsync(topic => { lock (announced) { announced.Add(topic); } }, Token());
        await _broker.PublishAsync("t", Message() with { DedupeId = "m-1" }, Token());
        await _broker.PublishAsync("t", Message() with { DedupeId = "m-1" }, Token());
        await _broker.PublishAsync(Mailboxes.Of("alice"), Message(), Token());

        // The mailbox's publish was the last: once it is announced, so is everything before it (one NOTIFY channel, in commit order).
        await Eventually.TrueAsync(() => { lock (announced) { return announced.Contains(Mailboxes.Of("alice")); } }, "the mailbox's publish announced", TestTimeouts.Quick);
        registration.Dispose();
        var later = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var next = await _broker.SubscribeAsync(topic => later.TrySetResult(topic), Token());
        await _broker.PublishAsync("t", Message(), Token());

        // Handlers are called in the order they subscribed: once the later one has heard it, the disposed one would have too.
        (await later.Task.WaitAsync(Token())).ShouldBe("t");
        lock (announced)
        {
            announced.ShouldBe(["t", Mailboxes.Of("alice")], "a duplicate stores nothing new to announce, and a disposed registration hears nothing");
        }
    }

    private static CancellationToken Token() => TestTimeouts.Token(TestTimeouts.Quick);

    private static OutgoingMessage Message() => new() { Body = new JsonObject { ["n"] = 1 }, Publisher = "token:test" };
}

public sealed class SqliteBrokerInputTests() : EmbeddedBrokerInputTests(StoreEngine.Sqlite);

[RequiresPostgres]
public sealed class PostgresBrokerInputTests() : EmbeddedBrokerInputTests(StoreEngine.Postgres);
