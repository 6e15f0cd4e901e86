using System.Net;
using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Client.Contracts;
using Berth.Client.Errors;
using Berth.Core.Messaging;
using Berth.Core.Storage;
using Berth.Testing;

namespace Berth.Cli.Tests.Client;

/// <summary>The messaging routes of <see cref="BerthClient"/>: what each method sends, and how it reads the answer.</summary>
public sealed class MessagingClientTests
{
    internal const string Received = """
        {"id":"m1","subscription":"orders-worker","topic":"orders","key":"c-7","attributes":{"kind":"created"},"body":{"n":1},
         "publishedAt":"2026-01-01T00:00:00Z","publisher":"token:admin","delivery":2,"ackId":"a-1","leaseExpiresAt":"2026-01-01T00:00:30Z"}
        """;

    private static (BerthClient Client, ScriptedHandler Handler) Create(HttpStatusCode status, string body, string mediaType = "application/json", TimeSpan? timeout = null)
    {
        var handler = new ScriptedHandler(status, body, mediaType);
        var http = new HttpClient(handler) { BaseAddress = new Uri("http://berth.test:2378") };
        if (timeout is { } limit)
        {
            http.Timeout = limit;
        }

        return (new BerthClient(http), handler);
    }

    private static CancellationToken Quick() => TestTimeouts.Token(TestTimeouts.Quick);

    [Fact]
    public async Task ApplyTopicAsync_Spec_PutsItsDocumentAndReadsTheOutcome()
    {
        var (client, handler) = Create(HttpStatusCode.Created, """{"kind":"Topic","name":"orders","outcome":"created"}""");
        var spec = new TopicSpec { Name = "orders", Ordering = MessageOrdering.Key, VisibilityTimeout = TimeSpan.FromSeconds(45), DeadLetter = "orders-dead" };

        var applied = await client.ApplyTopicAsync(spec, Quick());

        applied.Outcome.ShouldBe(ApplyOutcome.Created);
        var (method, path, body) = handler.Requests.ShouldHaveSingleItem();
        method.ShouldBe(HttpMethod.Put);
        path.ShouldBe("/api/v1/topics/orders");
        var sent = JsonNode.Parse(body)!;
        ((string?)sent["kind"]).ShouldBe("Topic");
        ((string?)sent["metadata"]!["name"]).ShouldBe("orders");
        ((string?)sent["spec"]!["ordering"]).ShouldBe("key");
        ((string?)sent["spec"]!["visibilityTimeout"]).ShouldBe("45s");
        ((string?)sent["spec"]!["deadLetter"]).ShouldBe("orders-dead");
    }

    [Fact]
    public async Task ApplySubscriptionAsync_PushSpec_PutsItsDocument()
    {
        var (client, handler) = Create(HttpStatusCode.OK, """{"kind":"Subscription","name":"to-bob","outcome":"unchanged"}""");
        var spec = new SubscriptionSpec
        {
            Name = "to-bob",
            Topic = "orders",
            Filter = new Dictionary<string, string> { ["kind"] = "created" },
            Delivery = new DeliverySpec { Push = new PushDeliverySpec { Agent = "bob" } },
        };

        var applied = await client.ApplySubscriptionAsync(spec, Quick());

        applied.Outcome.ShouldBe(ApplyOutcome.Unchanged);
        var (method, path, body) = handler.Requests.ShouldHaveSingleItem();
        (method, path).ShouldBe((HttpMethod.Put, "/api/v1/subscriptions/to-bob"));
        var sent = JsonNode.Parse(body)!["spec"]!;
        ((string?)sent["topic"]).ShouldBe("orders");
        ((string?)sent["filter"]!["kind"]).ShouldBe("created");
        ((string?)sent["delivery"]!["push"]!["agent"]).ShouldBe("bob");
    }

    [Fact]
    public async Task ListTopicsAsync_WithMailboxes_AsksForThemAndReadsViews()
    {
        const string body = """[{"name":"agent/bob","spec":{"name":"agent/bob"},"subscriptions":["agent/bob"],"mailbox":true}]""";
        var (client, handler) = Create(HttpStatusCode.OK, body);

        var topics = await client.ListTopicsAsync(includeMailboxes: true, Quick());

        handler.Requests.ShouldHaveSingleItem().PathAndQuery.ShouldBe("/api/v1/topics?mailboxes=true");
        var topic = topics.ShouldHaveSingleItem();
        topic.Mailbox.ShouldBeTrue();
        topic.Spec.MaxDeliveries.ShouldBe(5, "a field the server left out takes the spec's default");
    }

    [Fact]
    public async Task DeleteTopicAsync_Known_ReturnsHowManySubscriptionsWentWithIt()
    {
        var (client, handler) = Create(HttpStatusCode.OK, """{"count":2}""");

        var removed = await client.DeleteTopicAsync("orders", Quick());

        removed.ShouldBe(2);
        handler.Requests.ShouldHaveSingleItem().ShouldBe((HttpMethod.Delete, "/api/v1/topics/orders", ""));
    }

    [Fact]
    public async Task GetTopicAsync_Unknown_ThrowsNotFound()
    {
        var (client, _) = Create(HttpStatusCode.NotFound, """{"title":"Unknown topic","status":404,"detail":"no topic 'nope'"}""", "application/problem+json");

        var exception = await Should.ThrowAsync<BerthApiException>(() => client.GetTopicAsync("nope", Quick()));

        exception.IsNotFound.ShouldBeTrue();
        exception.Detail.ShouldBe("no topic 'nope'");
    }

    [Fact]
    public async Task PublishAsync_Message_PostsBodyKeyAttributesAndId()
    {
        var (client, handler) = Create(HttpStatusCode.OK, """{"id":"m1","topic":"orders","duplicate":true}""");
        var message = new PublishRequest
        {
            Body = new JsonObject { ["n"] = 1 },
            Key = "c-7",
            Id = "order-42",
            Attributes = new Dictionary<string, string> { ["kind"] = "created" },
        };

        var published = await client.PublishAsync("orders", message, Quick());

        published.ShouldBe(new PublishResponse("m1", "orders", Duplicate: true));
        var (method, path, body) = handler.Requests.ShouldHaveSingleItem();
        (method, path).ShouldBe((HttpMethod.Post, "/api/v1/topics/orders/messages"));
        var sent = JsonNode.Parse(body)!;
        ((int?)sent["body"]!["n"]).ShouldBe(1);
        ((string?)sent["key"]).ShouldBe("c-7");
        ((string?)sent["id"]).ShouldBe("order-42");
        ((string?)sent["attributes"]!["kind"]).ShouldBe("created");
    }

    [Fact]
    public async Task ListMessagesAsync_Filters_SentAsEscapedQuery()
    {
        const string body = """
            [{"id":"m1","subscription":"agent/bob","topic":"agent/bob","state":"dead","deliveries":5,"publishedAt":"2026-01-01T00:00:00Z","lastError":"boom"}]
            """;
        var (client, handler) = Create(HttpStatusCode.OK, body);

        var entries = await client.ListMessagesAsync("agent/bob", "agent/bob", DeliveryState.Dead, 5, Quick());

        handler.Requests.ShouldHaveSingleItem().PathAndQuery.ShouldBe("/api/v1/messages?subscription=agent%2Fbob&topic=agent%2Fbob&state=dead&limit=5");
        entries.ShouldHaveSingleItem().State.ShouldBe(DeliveryState.Dead);
    }

    [Fact]
    public async Task GetMessageAsync_Known_ReadsTheMessageAndItsDeliveries()
    {
        const string body = """
            {"message":{"id":"m1","topic":"orders","body":[1,2],"publishedAt":"2026-01-01T00:00:00Z","publisher":"token:admin"},
             "deliveries":[{"id":"m1","subscription":"w","topic":"orders","state":"leased","deliveries":1,"publishedAt":"2026-01-01T00:00:00Z"}]}
            """;
        var (client, handler) = Create(HttpStatusCode.OK, body);

        var detail = await client.GetMessageAsync("m1", Quick());

        handler.Requests.ShouldHaveSingleItem().PathAndQuery.ShouldBe("/api/v1/messages/m1");
        detail.Message.Body!.AsArray().Count.ShouldBe(2);
        detail.Deliveries.ShouldHaveSingleItem().State.ShouldBe(DeliveryState.Leased);
    }

    [Fact]
    public async Task RequeueMessagesAsync_NoIds_AsksForEveryDeadLetter()
    {
        var (client, handler) = Create(HttpStatusCode.OK, """{"count":3}""");

        var requeued = await client.RequeueMessagesAsync("w", null, Quick());

        requeued.ShouldBe(3);
        var (_, path, body) = handler.Requests.ShouldHaveSingleItem();
        path.ShouldBe("/api/v1/subscriptions/w/requeue");
        JsonNode.Parse(body)!.AsObject().ContainsKey("ids").ShouldBeFalse("null ids means every dead letter");
    }

    [Fact]
    public async Task RequeueMessagesAsync_Ids_SendsThem()
    {
        var (client, handler) = Create(HttpStatusCode.OK, """{"count":1}""");

        await client.RequeueMessagesAsync("w", ["m1", "m2"], Quick());

        JsonNode.Parse(handler.Requests.Single().Body)!["ids"]!.AsArray().Select(i => (string?)i).ShouldBe(["m1", "m2"]);
    }

    [Theory]
    [InlineData(DeliveryState.Dead, "/api/v1/subscriptions/w/purge?state=dead")]
    [InlineData(null, "/api/v1/subscriptions/w/purge")]
    public async Task PurgeMessagesAsync_State_OnlyThatStateIsAskedFor(DeliveryState? state, string expected)
    {
        var (client, handler) = Create(HttpStatusCode.OK, """{"count":4}""");

        var purged = await client.PurgeMessagesAsync("w", state, Quick());

        purged.ShouldBe(4);
        handler.Requests.ShouldHaveSingleItem().ShouldBe((HttpMethod.Post, expected, ""));
    }

    [Fact]
    public async Task ReceiveAsync_MaxAndWait_SentAsQueryAndMessagesRead()
    {
        var (client, handler) = Create(HttpStatusCode.OK, $"[{Received}]");

        var messages = await client.ReceiveAsync("orders-worker", 5, TimeSpan.FromSeconds(20), Quick());

        handler.Requests.ShouldHaveSingleItem().PathAndQuery.ShouldBe("/api/v1/subscriptions/orders-worker/messages?max=5&wait=20s");
        var message = messages.ShouldHaveSingleItem();
        message.AckId.ShouldBe("a-1");
        message.Delivery.ShouldBe(2);
        ((int?)message.Body!["n"]).ShouldBe(1);
    }

    [Fact]
    public async Task ReceiveMailAsync_Agent_UsesTheMailboxRoute()
    {
        var (client, handler) = Create(HttpStatusCode.OK, "[]");

        var messages = await client.ReceiveMailAsync("bob", cancellationToken: Quick());

        messages.ShouldBeEmpty();
        handler.Requests.ShouldHaveSingleItem().PathAndQuery.ShouldBe("/api/v1/mailboxes/bob/messages?max=1&wait=0s");
    }

    [Fact]
    public async Task ReceiveAsync_WaitTheHttpTimeoutCannotOutlast_ThrowsBeforeSending()
    {
        var (client, handler) = Create(HttpStatusCode.OK, "[]", timeout: TimeSpan.FromSeconds(30));

        var exception = await Should.ThrowAsync<ArgumentOutOfRangeException>(() => client.ReceiveAsync("w", 1, TimeSpan.FromSeconds(20), Quick()));

        exception.Message.ShouldContain("at least 35s");
        handler.Requests.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1001, 0)]
    [InlineData(1, 61)]
    [InlineData(1, -1)]
    public async Task ReceiveAsync_OutOfBounds_ThrowsBeforeSending(int max, int waitSeconds)
    {
        var (client, handler) = Create(HttpStatusCode.OK, "[]");

        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => client.ReceiveAsync("w", max, TimeSpan.FromSeconds(waitSeconds), Quick()));

        handler.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task StreamAsync_MessageEventsAmongOthers_YieldsOnlyTheMessages()
    {
        var second = Received.ReplaceLineEndings("").Replace("\"m1\"", "\"m2\"", StringComparison.Ordinal);
        var stream = $": connected\n\nevent: keep-alive\ndata: {{}}\n\nevent: message\ndata: {Received.ReplaceLineEndings("")}\n\nevent: message\ndata: {second}\n\n";
        var (client, handler) = Create(HttpStatusCode.OK, stream, "text/event-stream");

        var ids = new List<string>();
        await foreach (var message in client.StreamAsync("orders-worker", Quick()))
        {
            ids.Add(message.Id);
        }

        ids.ShouldBe(["m1", "m2"]);
        handler.Requests.ShouldHaveSingleItem().PathAndQuery.ShouldBe("/api/v1/subscriptions/orders-worker/stream");
    }

    [Fact]
    public async Task StreamMailAsync_UnknownAgent_ThrowsNotFound()
    {
        var (client, _) = Create(HttpStatusCode.NotFound, """{"title":"Unknown agent","status":404}""", "application/problem+json");

        var exception = await Should.ThrowAsync<BerthApiException>(async () =>
        {
            await foreach (var _ in client.StreamMailAsync("nobody", Quick()))
            {
            }
        });

        exception.IsNotFound.ShouldBeTrue();
    }

    [Fact]
    public async Task AckAsync_AckIds_PostedAndWhatWasNotHeldRead()
    {
        var (client, handler) = Create(HttpStatusCode.OK, """{"settled":["a-1"],"notHeld":["a-2"]}""");

        var settled = await client.AckAsync("w", ["a-1", "a-2"], Quick());

        settled.Settled.ShouldBe(["a-1"]);
        settled.NotHeld.ShouldBe(["a-2"]);
        var (_, path, body) = handler.Requests.ShouldHaveSingleItem();
        path.ShouldBe("/api/v1/subscriptions/w/ack");
        JsonNode.Parse(body)!["ackIds"]!.AsArray().Select(i => (string?)i).ShouldBe(["a-1", "a-2"]);
    }

    [Fact]
    public async Task NackMailAsync_DelayAndReason_PostedToTheMailbox()
    {
        var (client, handler) = Create(HttpStatusCode.OK, """{"settled":["a-1"],"notHeld":[]}""");

        await client.NackMailAsync("bob", new NackRequest { AckIds = ["a-1"], Delay = TimeSpan.FromSeconds(5), Reason = "busy" }, Quick());

        var (_, path, body) = handler.Requests.ShouldHaveSingleItem();
        path.ShouldBe("/api/v1/mailboxes/bob/nack");
        var sent = JsonNode.Parse(body)!;
        ((string?)sent["delay"]).ShouldBe("5s");
        ((string?)sent["reason"]).ShouldBe("busy");
    }

    [Fact]
    public async Task SendMailAsync_Message_PostedToTheMailbox()
    {
        var (client, handler) = Create(HttpStatusCode.Created, """{"id":"m9","topic":"agent/bob","duplicate":false}""");

        var sent = await client.SendMailAsync("bob", new PublishRequest { Body = JsonValue.Create("hi") }, Quick());

        sent.Topic.ShouldBe("agent/bob");
        handler.Requests.ShouldHaveSingleItem().PathAndQuery.ShouldBe("/api/v1/mailboxes/bob/messages");
    }

    [Fact]
    public async Task RequestAsync_Reply_ReturnsItWithTheTimeoutInTheQuery()
    {
        const string body = """
            {"requestId":"m1","correlationId":"c1",
             "reply":{"id":"m2","topic":"agent/alice","body":{"ok":true},"publishedAt":"2026-01-01T00:00:00Z","publisher":"agent:bob","correlationId":"c1"}}
            """;
        var (client, handler) = Create(HttpStatusCode.OK, body);

        var answer = await client.RequestAsync("bob", new PublishRequest { Body = new JsonObject() }, TimeSpan.FromSeconds(30), Quick());

        handler.Requests.ShouldHaveSingleItem().PathAndQuery.ShouldBe("/api/v1/mailboxes/bob/requests?timeout=30s");
        answer.Reply.ShouldNotBeNull().Publisher.ShouldBe("agent:bob");
        ((bool?)answer.Reply.Body!["ok"]).ShouldBe(true);
    }

    [Fact]
    public async Task RequestAsync_NoReplyInTime_ReturnsTheRequestWithoutReply()
    {
        var (client, _) = Create(HttpStatusCode.Accepted, """{"requestId":"m1","correlationId":"c1"}""");

        var answer = await client.RequestAsync("bob", new PublishRequest(), TimeSpan.FromSeconds(1), Quick());

        answer.Reply.ShouldBeNull();
        answer.RequestId.ShouldBe("m1");
    }

    [Fact]
    public async Task RequestAsync_TimeoutTheHttpTimeoutCannotOutlast_ThrowsBeforeSending()
    {
        var (client, handler) = Create(HttpStatusCode.OK, "{}");

        await Should.ThrowAsync<ArgumentOutOfRangeException>(
            () => client.RequestAsync("bob", new PublishRequest(), TimeSpan.FromMinutes(5), Quick()));

        handler.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task ReplyAsync_Request_PostedToItsReplyRoute()
    {
        var (client, handler) = Create(HttpStatusCode.Created, """{"id":"m2","topic":"agent/alice","duplicate":false}""");

        await client.ReplyAsync("bob", "m1", new PublishRequest { Body = JsonValue.Create(1) }, Quick());

        handler.Requests.ShouldHaveSingleItem().PathAndQuery.ShouldBe("/api/v1/mailboxes/bob/messages/m1/reply");
    }
}
