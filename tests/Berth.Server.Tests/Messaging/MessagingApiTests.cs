using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Client.Contracts;
using Berth.Core.Messaging;
using Berth.Core.Serialization;
using Berth.Server.Tests.Security;
using Berth.Server.Tests.Support;
using Berth.Testing;

namespace Berth.Server.Tests.Messaging;

/// <summary>
/// Topics, subscriptions, publish and pull on a real server, the same tests for each backend: the embedded broker
/// (<see cref="EmbeddedMessagingApiTests"/>) and RabbitMQ (<see cref="RabbitMqMessagingApiTests"/>).
/// </summary>
public abstract class MessagingApiTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : class, IServerFixture
{
    private HttpClient Http => fixture.Server.Http;

    [Fact]
    public async Task Publish_ReceiveAndAck_DeliveredWithItsFieldsAndNotAgain()
    {
        var (topic, subscription) = await TopicWithSubscriptionAsync();

        var published = await Messages.PublishAsync(Http, $"/api/v1/topics/{topic}/messages", new JsonObject { ["n"] = 1 }, key: "k1", attributes: new Dictionary<string, string> { ["type"] = "order" });
        var received = (await Messages.ReceiveSomeAsync(Http, Consumer(subscription))).ShouldHaveSingleItem();
        var acked = await Messages.AckAsync(Http, Consumer(subscription), received.AckId);

        (received.Id, received.Topic, received.Subscription, received.Key, received.Delivery).ShouldBe((published.Id, topic, subscription, "k1", 1));
        received.Body!["n"]!.GetValue<int>().ShouldBe(1);
        received.Attributes["type"].ShouldBe("order");
        received.Publisher.ShouldStartWith("token:");
        acked.Settled.ShouldBe([received.AckId]);
        (await Messages.ReceiveAsync(Http, Consumer(subscription))).ShouldBeEmpty();
        (await ListAsync($"subscription={subscription}")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Publish_SameMessageIdTwice_SecondIsADuplicateOfTheFirst()
    {
        var (topic, subscription) = await TopicWithSubscriptionAsync();
        using var first = await PublishWithHeaderAsync(topic, "order-42");
        using var second = await PublishWithHeaderAsync(topic, "order-42");

        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        var (one, two) = (await Read<PublishResponse>(first), await Read<PublishResponse>(second));
        (two.Id, two.Duplicate, one.Duplicate).ShouldBe((one.Id, true, false));
        (await Messages.ReceiveSomeAsync(Http, Consumer(subscription))).ShouldHaveSingleItem().Id.ShouldBe(one.Id);
    }

    [Fact]
    public async Task Receive_LongPoll_AnswersWhenAMessageArrives()
    {
        var (topic, subscription) = await TopicWithSubscriptionAsync();
        var waiting = Messages.ReceiveAsync(Http, Consumer(subscription), wait: "60s");

        var published = await Messages.PublishAsync(Http, $"/api/v1/topics/{topic}/messages", "hello");

        (await waiting.WaitAsync(TestTimeouts.Slow)).ShouldHaveSingleItem().Id.ShouldBe(published.Id);
    }

    [Fact]
    public async Task Nack_WithNoDelay_DeliveredAgainWithItsDeliveryCounted()
    {
        var (topic, subscription) = await TopicWithSubscriptionAsync();
        await Messages.PublishAsync(Http, $"/api/v1/topics/{topic}/messages", 7);
        var first = (await Messages.ReceiveSomeAsync(Http, Consumer(subscription))).ShouldHaveSingleItem();

        var nacked = await Messages.SettleAsync(Http, Messages.Beside(Consumer(subscription), "nack"), new NackRequest { AckIds = [first.AckId], Delay = TimeSpan.Zero, Reason = "not yet" });
        var again = (await Messages.ReceiveSomeAsync(Http, Consumer(subscription))).ShouldHaveSingleItem();

        nacked.Settled.ShouldBe([first.AckId]);
        (again.Id, again.Delivery).ShouldBe((first.Id, 2));
        (await Messages.AckAsync(Http, Consumer(subscription), first.AckId)).NotHeld.ShouldBe([first.AckId], "the first lease ended with the nack");
    }

    [Fact]
    public async Task Nack_PastMaxDeliveries_DeadLetteredListedAndRequeueable()
    {
        var topic = Messages.NewName("t");
        var subscription = Messages.NewName("s");
        await Messages.ApplyTopicAsync(Http, topic, "\n  maxDeliveries: 1");
        await Messages.ApplySubscriptionAsync(Http, subscription, topic);
        var published = await Messages.PublishAsync(Http, $"/api/v1/topics/{topic}/messages", "poison");
        var delivered = (await Messages.ReceiveSomeAsync(Http, Consumer(subscription))).ShouldHaveSingleItem();

        await Messages.SettleAsync(Http, Messages.Beside(Consumer(subscription), "nack"), new NackRequest { AckIds = [delivered.AckId], Reason = "cannot parse" });

        var dead = (await ListAsync($"subscription={subscription}&state=dead")).ShouldHaveSingleItem();
        (dead.Id, dead.State, dead.LastError).ShouldBe((published.Id, DeliveryState.Dead, "cannot parse"));
        (await Messages.ReceiveAsync(Http, Consumer(subscription))).ShouldBeEmpty();
        using var requeue = await Http.PostAsJsonAsync($"/api/v1/subscriptions/{subscription}/requeue", new RequeueRequest(), BerthJson.Options, TestTimeouts.Token());
        (await Read<CountResponse>(requeue)).Count.ShouldBe(1);
        (await Messages.ReceiveSomeAsync(Http, Consumer(subscription))).ShouldHaveSingleItem().Id.ShouldBe(published.Id);
    }

    [Fact]
    public async Task Filter_OnlyMatchingMessagesReachTheSubscription()
    {
        var topic = Messages.NewName("t");
        var orders = Messages.NewName("s");
        var everything = Messages.NewName("s");
        await Messages.ApplyTopicAsync(Http, topic);
        await Messages.ApplySubscriptionAsync(Http, orders, topic, "  filter: { type: order }\n");
        await Messages.ApplySubscriptionAsync(Http, everything, topic);

        await Messages.PublishAsync(Http, $"/api/v1/topics/{topic}/messages", "a refund", attributes: new Dictionary<string, string> { ["type"] = "refund" });
        var order = await Messages.PublishAsync(Http, $"/api/v1/topics/{topic}/messages", "an order", attributes: new Dictionary<string, string> { ["type"] = "order" });

        (await Messages.ReceiveSomeAsync(Http, Consumer(orders))).ShouldHaveSingleItem().Id.ShouldBe(order.Id);
        (await Eventually.MatchAsync(_ => Messages.ReceiveAsync(Http, Consumer(everything), 10, "1s"), got => got.Count == 2, "both messages on the unfiltered subscription")).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Stream_SendsEachDeliveryAsAnEvent()
    {
        var (topic, subscription) = await TopicWithSubscriptionAsync();
        var published = await Messages.PublishAsync(Http, $"/api/v1/topics/{topic}/messages", new JsonObject { ["streamed"] = true });
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/subscriptions/{subscription}/stream?prefetch=1");
        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestTimeouts.Token());
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestTimeouts.Token()));

        string? data = null;
        while (data is null && await reader.ReadLineAsync(TestTimeouts.Token()) is { } line)
        {
            data = line.StartsWith("data: ", StringComparison.Ordinal) ? line["data: ".Length..] : null;
        }

        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        var message = System.Text.Json.JsonSerializer.Deserialize<ReceivedMessage>(data!, BerthJson.Options)!;
        (message.Id, message.Body!["streamed"]!.GetValue<bool>()).ShouldBe((published.Id, true));
        (await Messages.AckAsync(Http, Consumer(subscription), message.AckId)).Settled.ShouldBe([message.AckId]);
    }

    [Fact]
    public async Task Publish_BadMessages_400Or413NamingWhatIsWrong()
    {
        var (topic, _) = await TopicWithSubscriptionAsync();
        var path = $"/api/v1/topics/{topic}/messages";

        using var badAttribute = await Messages.PostPublishAsync(Http, path, 1, attributes: new Dictionary<string, string> { ["bad name"] = "x" });
        using var splitKey = await Messages.PostPublishAsync(Http, path, 1, key: "a\r\nInjected: yes");
        using var tooBig = await Messages.PostPublishAsync(Http, path, new string('x', MessageLimits.MaxBodyBytes + 10));
        using var huge = await Messages.PostPublishAsync(Http, path, new string('x', 2 * MessageLimits.MaxBodyBytes));
        using var unknown = await Messages.PostPublishAsync(Http, $"/api/v1/topics/{Messages.NewName("none")}/messages", 1);

        badAttribute.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Messages.ProblemAsync(badAttribute))["detail"]!.GetValue<string>().ShouldContain("'bad name' is not an attribute name");
        splitKey.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Messages.ProblemAsync(splitKey))["detail"]!.GetValue<string>().ShouldContain("key: holds a control character");
        tooBig.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Messages.ProblemAsync(tooBig))["detail"]!.GetValue<string>().ShouldContain($"at most {MessageLimits.MaxBodyBytes} are allowed");
        huge.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Apply_InvalidSpecsAndMissingTopic_400And404NamingTheField()
    {
        var name = Messages.NewName("t");

        using var badTopic = await Messages.PutDocumentAsync(Http, "topics", "Topic", name, "\n  visibilityTimeout: 0s\n  ordering: sideways");
        using var orphan = await Messages.PutDocumentAsync(Http, "subscriptions", "Subscription", Messages.NewName("s"), $"\n  topic: {name}");
        using var badPush = await Messages.PutDocumentAsync(Http, "subscriptions", "Subscription", Messages.NewName("s"), $"\n  topic: {name}\n  delivery: {{ push: {{ agent: a, path: /../admin }} }}");

        badTopic.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await Messages.ProblemAsync(badTopic))["errors"]!.AsArray().Select(e => e!["path"]!.GetValue<string>()).ToList();
        errors.ShouldContain("spec.ordering");
        orphan.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Messages.ProblemAsync(orphan))["detail"]!.GetValue<string>().ShouldContain($"No topic named '{name}'");
        badPush.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Messages.ProblemAsync(badPush))["detail"]!.GetValue<string>().ShouldContain("spec.delivery.push.path");
    }

    [Fact]
    public async Task Viewer_ListsTopicsButCannotPublishOrReceive()
    {
        var (topic, subscription) = await TopicWithSubscriptionAsync();
        var viewer = await TokenRequests.CreateAsync(fixture.Server, "viewer");
        using var asViewer = fixture.Server.CreateHttp(viewer.Token);

        var topics = await asViewer.GetFromJsonAsync<List<TopicView>>("/api/v1/topics", BerthJson.Options, TestTimeouts.Token());
        using var publish = await Messages.PostPublishAsync(asViewer, $"/api/v1/topics/{topic}/messages", 1);
        using var receive = await asViewer.GetAsync($"{Consumer(subscription)}?max=1", TestTimeouts.Token());

        topics!.Single(t => t.Name == topic).Subscriptions.ShouldBe([subscription]);
        publish.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        receive.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task RemoveTopic_TakesItsSubscriptionsAndTheirMessages()
    {
        var (topic, subscription) = await TopicWithSubscriptionAsync();
        await Messages.PublishAsync(Http, $"/api/v1/topics/{topic}/messages", 1);

        using var removed = await Http.DeleteAsync($"/api/v1/topics/{topic}", TestTimeouts.Token());
        using var gone = await Http.GetAsync($"{Consumer(subscription)}?max=1", TestTimeouts.Token());

        (await Read<CountResponse>(removed)).Count.ShouldBe(1);
        gone.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await ListAsync($"subscription={subscription}")).ShouldBeEmpty();
    }

    private static string Consumer(string subscription) => $"/api/v1/subscriptions/{subscription}/messages";

    private async Task<(string Topic, string Subscription)> TopicWithSubscriptionAsync()
    {
        var topic = Messages.NewName("t");
        var subscription = Messages.NewName("s");
        await Messages.ApplyTopicAsync(Http, topic);
        await Messages.ApplySubscriptionAsync(Http, subscription, topic);
        return (topic, subscription);
    }

    private async Task<HttpResponseMessage> PublishWithHeaderAsync(string topic, string messageId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/topics/{topic}/messages")
        {
            Content = new StringContent("""{"body": {"order": 42}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Message-Id", messageId);
        return await Http.SendAsync(request, TestTimeouts.Token());
    }

    private async Task<List<MessageEntry>> ListAsync(string query) =>
        (await Http.GetFromJsonAsync<List<MessageEntry>>($"/api/v1/messages?{query}", BerthJson.Options, TestTimeouts.Token()))!;

    private static async Task<T> Read<T>(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestTimeouts.Token());
        response.IsSuccessStatusCode.ShouldBeTrue(text);
        return System.Text.Json.JsonSerializer.Deserialize<T>(text, BerthJson.Options)!;
    }
}
