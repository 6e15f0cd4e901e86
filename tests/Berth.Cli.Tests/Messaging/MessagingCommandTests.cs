using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Cli.Tests.EndToEnd;
using Berth.Cli.Tests.Infrastructure;
using Berth.Client;
using Berth.Client.Contracts;
using Berth.Core.Messaging;
using Berth.Core.Serialization;
using Berth.Testing;

namespace Berth.Cli.Tests.Messaging;

/// <summary>Real messaging command lines against a real server with the embedded broker: topics, subscriptions, publish, subscribe, dead letters.</summary>
[Collection(ServerGroup.Name)]
public sealed class MessagingCommandTests(ServerFixture server) : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly string _topic = $"t{Guid.NewGuid():N}"[..12];

    private string Subscription => _topic + "-w";

    public void Dispose() => _directory.Dispose();

    private CliHarness Harness(string stdin = "")
    {
        var harness = new CliHarness { CurrentDirectory = _directory.Path, Stdin = stdin };
        harness.Environment["BERTH_URL"] = server.Url;
        harness.Environment["BERTH_TOKEN"] = server.AdminToken;
        return harness;
    }

    private async Task<CliResult> RunOkAsync(params string[] args)
    {
        var result = await Harness().RunAsync(args);
        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        return result;
    }

    /// <summary>Applies a topic (with <paramref name="topicSpec"/> lines under spec) and a pull subscription to it.</summary>
    private async Task ApplyTopicAndSubscriptionAsync(string topicSpec = "ordering: none")
    {
        _directory.Write("messaging.yaml", $"""
            apiVersion: berth/v1
            kind: Topic
            metadata:
              name: {_topic}
            spec:
              {topicSpec}
            ---
            apiVersion: berth/v1
            kind: Subscription
            metadata:
              name: {Subscription}
            spec:
              topic: {_topic}
            """);
        await RunOkAsync("apply", "-f", "messaging.yaml");
    }

    private static List<ReceivedMessage> Lines(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonSerializer.Deserialize<ReceivedMessage>(line, BerthJson.Options)!)];

    [Fact]
    public async Task Apply_OneFileOfEveryMessagingKind_AppliesTopicsFirstThenSubscriptionsAndIsIdempotent()
    {
        var deadLetters = _topic + "-dead";
        _directory.Write("all.yaml", $"""
            apiVersion: berth/v1
            kind: Subscription
            metadata:
              name: {Subscription}
            spec:
              topic: {_topic}
              filter:
                kind: created
            ---
            apiVersion: berth/v1
            kind: Topic
            metadata:
              name: {_topic}
            spec:
              ordering: key
              deadLetter: {deadLetters}
            ---
            apiVersion: berth/v1
            kind: Topic
            metadata:
              name: {deadLetters}
            spec:
              retention: 30d
            """);

        var first = await RunOkAsync("apply", "-f", "all.yaml");
        var again = await RunOkAsync("apply", "-f", "all.yaml");

        first.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe(
            [$"topic/{deadLetters} created", $"topic/{_topic} created", $"subscription/{Subscription} created"],
            "the dead-letter topic before the topic naming it, both before the subscription (file order is the reverse)");
        again.Out.ShouldContain($"topic/{_topic} unchanged");
        again.Out.ShouldContain($"subscription/{Subscription} unchanged");
        var topics = await RunOkAsync("topics", "ls");
        topics.Out.ShouldContain(_topic);
        topics.Out.ShouldContain(Subscription);
        var subscriptions = await RunOkAsync("subscriptions", "ls", "-o", "json");
        var view = JsonSerializer.Deserialize<List<SubscriptionView>>(subscriptions.Out, BerthJson.Options)!.Single(s => s.Name == Subscription);
        (view.Spec.Topic, view.Spec.Filter["kind"], view.Stats.Ready).ShouldBe((_topic, "created", 0L));
    }

    [Fact]
    public async Task TopicsCreate_ThenDifferentSettings_CreatedThenUpdated()
    {
        var created = await RunOkAsync("topics", "create", _topic, "--ordering", "key", "--max-deliveries", "3");
        var updated = await RunOkAsync("topics", "create", _topic, "--ordering", "key", "--max-deliveries", "4", "--visibility-timeout", "45s");

        created.Out.Trim().ShouldBe($"topic/{_topic} created");
        updated.Out.Trim().ShouldBe($"topic/{_topic} updated");
        var listed = await RunOkAsync("topics", "ls", "-o", "json");
        var spec = JsonSerializer.Deserialize<List<TopicView>>(listed.Out, BerthJson.Options)!.Single(t => t.Name == _topic).Spec;
        (spec.Ordering, spec.MaxDeliveries, spec.VisibilityTimeout).ShouldBe((MessageOrdering.Key, 4, TimeSpan.FromSeconds(45)));
    }

    [Fact]
    public async Task PublishThenSubscribeAck_PrintsOneJsonLineAndLeavesNothingHeld()
    {
        await ApplyTopicAndSubscriptionAsync();

        var published = await RunOkAsync("publish", _topic, "-d", """{"order": 42, "note": "two\nlines"}""", "--key", "c-7", "--attr", "kind=created");
        var received = await RunOkAsync("subscribe", Subscription, "--ack", "--max", "1", "--timeout", "30s");

        var id = published.Out.Trim();
        published.Err.ShouldContain($"published to {_topic}");
        var message = Lines(received.Out).ShouldHaveSingleItem("one message, one line");
        (message.Id, message.Topic, message.Key, message.Attributes["kind"], message.Delivery).ShouldBe((id, _topic, "c-7", "created", 1));
        ((int?)message.Body!["order"]).ShouldBe(42);
        ((string?)message.Body["note"]).ShouldBe("two\nlines");
        received.Err.ShouldContain($"received 1 message from subscription/{Subscription} (--max 1)");
        var held = await RunOkAsync("messages", "ls", "--subscription", Subscription);
        held.Err.ShouldContain("no messages match", customMessage: "acked, so no longer held");
    }

    [Fact]
    public async Task Subscribe_WithoutAck_LeavesTheMessageLeased()
    {
        await ApplyTopicAndSubscriptionAsync("visibilityTimeout: 10m");
        await RunOkAsync("publish", _topic, "-d", "1");

        await RunOkAsync("subscribe", Subscription, "--max", "1", "--timeout", "30s");

        var held = await RunOkAsync("messages", "ls", "--subscription", Subscription, "-o", "json");
        JsonSerializer.Deserialize<List<MessageEntry>>(held.Out, BerthJson.Options)!.ShouldHaveSingleItem().State.ShouldBe(DeliveryState.Leased);
    }

    [Fact]
    public async Task Subscribe_SeveralMessagesWithMax_StopsAtMaxAndTheRestWait()
    {
        await ApplyTopicAndSubscriptionAsync();
        foreach (var n in new[] { "1", "2", "3" })
        {
            await RunOkAsync("publish", _topic, "-d", n);
        }

        var received = await RunOkAsync("subscribe", Subscription, "--ack", "--max", "2", "--timeout", "30s");

        Lines(received.Out).Select(m => (int?)m.Body).ShouldBe([1, 2]);
        var held = await RunOkAsync("messages", "ls", "--subscription", Subscription, "-o", "json");
        JsonSerializer.Deserialize<List<MessageEntry>>(held.Out, BerthJson.Options)!.ShouldHaveSingleItem().State.ShouldBe(DeliveryState.Ready);
    }

    [Fact]
    public async Task Subscribe_NoMessage_ExitsOkSayingTheTimeoutPassed()
    {
        await ApplyTopicAndSubscriptionAsync();

        var result = await RunOkAsync("subscribe", Subscription, "--timeout", "1s");

        result.Out.ShouldBeEmpty();
        result.Err.ShouldContain($"no message on subscription/{Subscription} for 1s (--timeout); received 0 messages");
    }

    [Fact]
    public async Task Subscribe_UnknownSubscription_ExitsNotFound()
    {
        var result = await Harness().RunAsync("subscribe", $"nope-{_topic}", "--max", "1");

        result.ExitCode.ShouldBe(ExitCodes.NotFound, result.ToString());
    }

    [Fact]
    public async Task Publish_SameIdTwice_SecondIsADuplicateWithTheFirstId()
    {
        await ApplyTopicAndSubscriptionAsync();

        var first = await RunOkAsync("publish", _topic, "-d", "{}", "--id", "order-42");
        var second = await RunOkAsync("publish", _topic, "-d", "{}", "--id", "order-42", "-o", "json");

        var answer = JsonSerializer.Deserialize<PublishResponse>(second.Out, BerthJson.Options)!;
        (answer.Id, answer.Duplicate).ShouldBe((first.Out.Trim(), true));
        second.Err.ShouldContain("duplicate");
    }

    [Fact]
    public async Task Publish_BodyFromStdinAndFile_BothSent()
    {
        await ApplyTopicAndSubscriptionAsync();
        _directory.Write("body.json", """{"from": "file"}""");

        await RunOkAsync("publish", _topic, "-d", "@body.json");
        var fromStdin = await Harness(stdin: """{"from": "stdin"}""").RunAsync("publish", _topic, "-d", "-");
        fromStdin.ExitCode.ShouldBe(ExitCodes.Ok, fromStdin.ToString());
        var received = await RunOkAsync("subscribe", Subscription, "--ack", "--max", "2", "--timeout", "30s");

        Lines(received.Out).Select(m => (string?)m.Body!["from"]).ShouldBe(["file", "stdin"]);
    }

    [Fact]
    public async Task Publish_UnknownTopic_ExitsNotFound()
    {
        var result = await Harness().RunAsync("publish", $"nope-{_topic}", "-d", "1");

        result.ExitCode.ShouldBe(ExitCodes.NotFound, result.ToString());
    }

    [Fact]
    public async Task DeadLetter_ListedThenRequeuedThenPurged()
    {
        await ApplyTopicAndSubscriptionAsync("maxDeliveries: 1\n  visibilityTimeout: 1s");
        var id = (await RunOkAsync("publish", _topic, "-d", """{"poison": true}""")).Out.Trim();
        await RunOkAsync("subscribe", Subscription, "--max", "1", "--timeout", "30s");

        // The one delivery's lease runs out unacked, and with maxDeliveries 1 the message is dead.
        var dead = await Eventually.MatchAsync(
            async _ => (await RunOkAsync("messages", "ls", "--subscription", Subscription, "--state", "dead", "-o", "json")).Out,
            json => JsonSerializer.Deserialize<List<MessageEntry>>(json, BerthJson.Options)!.Count == 1,
            "the unacked message to be dead-lettered");
        JsonSerializer.Deserialize<List<MessageEntry>>(dead, BerthJson.Options)!.Single().Id.ShouldBe(id);
        var table = await RunOkAsync("messages", "ls", "--state", "dead", "--topic", _topic);
        table.Out.ShouldContain(id);
        table.Out.ShouldContain("dead");

        var requeued = await RunOkAsync("messages", "requeue", Subscription, id);
        var purged = await RunOkAsync("messages", "purge", Subscription, "--state", "ready", "--yes");

        requeued.Out.Trim().ShouldBe($"1 dead letter of subscription/{Subscription} requeued");
        purged.Out.Trim().ShouldBe($"1 ready message purged from subscription/{Subscription}");
        (await RunOkAsync("messages", "ls", "--subscription", Subscription)).Err.ShouldContain("no messages match");
    }

    [Fact]
    public async Task MessagesShow_HeldMessage_ShowsBodyAttributesAndWhereItStands()
    {
        await ApplyTopicAndSubscriptionAsync();
        var id = (await RunOkAsync("publish", _topic, "-d", """{"order": 7}""", "--attr", "kind=created", "--id", "o-7")).Out.Trim();

        var shown = await RunOkAsync("messages", "show", id);
        var json = await RunOkAsync("messages", "show", id, "-o", "json");

        shown.Out.ShouldContain("kind=created");
        shown.Out.ShouldContain("\"order\": 7");
        shown.Out.ShouldContain(Subscription);
        shown.Out.ShouldContain("o-7");
        var detail = JsonSerializer.Deserialize<MessageDetail>(json.Out, BerthJson.Options)!;
        detail.Deliveries.ShouldHaveSingleItem().State.ShouldBe(DeliveryState.Ready);
        (await Harness().RunAsync("messages", "show", "no-such-message")).ExitCode.ShouldBe(ExitCodes.NotFound);
    }

    [Fact]
    public async Task Remove_TopicWithSubscription_SaysWhatWentWithIt()
    {
        await ApplyTopicAndSubscriptionAsync();
        await RunOkAsync("publish", _topic, "-d", "1");
        await RunOkAsync("subscriptions", "rm", Subscription, "--yes");
        _directory.Write("again.yaml", $"""
            apiVersion: berth/v1
            kind: Subscription
            metadata:
              name: {Subscription}
            spec:
              topic: {_topic}
            """);
        await RunOkAsync("apply", "-f", "again.yaml");

        var removed = await RunOkAsync("topics", "rm", _topic, "--yes");

        removed.Out.Trim().ShouldBe($"topic/{_topic} removed (1 subscription with it)");
        (await Harness().RunAsync("topics", "rm", _topic, "--yes")).ExitCode.ShouldBe(ExitCodes.NotFound);
        (await RunOkAsync("subscriptions", "ls")).Out.ShouldNotContain(Subscription);
    }

    [Fact]
    public async Task SubscriptionsRm_HeldMessages_CountsThemDropped()
    {
        await ApplyTopicAndSubscriptionAsync();
        await RunOkAsync("publish", _topic, "-d", "1");
        await RunOkAsync("publish", _topic, "-d", "2");

        var removed = await RunOkAsync("subscriptions", "rm", Subscription, "--yes");

        removed.Out.Trim().ShouldBe($"subscription/{Subscription} removed (2 messages dropped)");
    }

    [Fact]
    public async Task Mailbox_SentMail_ReadAndAcked()
    {
        var agent = await ApplyAgentAsync();
        try
        {
            var sent = await RunOkAsync("send", agent, "-d", """{"task": "review"}""", "--attr", "from=test");
            var read = await RunOkAsync("mailbox", agent, "--ack", "--max", "1", "--timeout", "30s");
            var again = await RunOkAsync("mailbox", agent, "--timeout", "1s");

            sent.Err.ShouldContain($"published to agent/{agent}");
            var mail = Lines(read.Out).ShouldHaveSingleItem();
            (mail.Id, mail.Topic, (string?)mail.Body!["task"], mail.Attributes["from"]).ShouldBe((sent.Out.Trim(), $"agent/{agent}", "review", "test"));
            again.Out.ShouldBeEmpty("the mail was acked");
        }
        finally
        {
            await Harness().RunAsync("rm", agent, "--yes");
        }
    }

    [Fact]
    public async Task Request_AgentReplies_PrintsTheReplyBody()
    {
        var agent = await ApplyAgentAsync();
        try
        {
            var asking = Harness().RunAsync("request", agent, "-d", """{"question": "ready?"}""", "--timeout", "60s");
            using var client = new BerthClient(new Uri(server.Url)) { Token = server.AdminToken };
            var request = await Eventually.MatchAsync(
                async ct => await client.ReceiveMailAsync(agent, 1, TimeSpan.FromSeconds(1), ct), got => got.Count == 1, "the request to reach the mailbox");
            await client.ReplyAsync(agent, request[0].Id, new PublishRequest { Body = new JsonObject { ["answer"] = "yes" } }, TestTimeouts.Token(TestTimeouts.Quick));
            var result = await asking;

            result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
            ((string?)JsonNode.Parse(result.Out)!["answer"]).ShouldBe("yes");
            ((string?)request[0].Body!["question"]).ShouldBe("ready?");
            request[0].CorrelationId.ShouldNotBeNull();
        }
        finally
        {
            await Harness().RunAsync("rm", agent, "--yes");
        }
    }

    [Fact]
    public async Task Request_NoReplyInTime_ExitsTimeoutNamingTheRequest()
    {
        var agent = await ApplyAgentAsync();
        try
        {
            var result = await Harness().RunAsync("request", agent, "-d", "{}", "--timeout", "1s");

            result.ExitCode.ShouldBe(ExitCodes.Timeout, result.ToString());
            result.Out.ShouldBeEmpty();
            result.Err.ShouldContain($"no reply from agent/{agent} within 1s (request ");
        }
        finally
        {
            await Harness().RunAsync("rm", agent, "--yes");
        }
    }

    [Fact]
    public async Task Send_UnknownAgent_ExitsNotFound()
    {
        var result = await Harness().RunAsync("send", $"nobody-{_topic}", "-d", "1");

        result.ExitCode.ShouldBe(ExitCodes.NotFound, result.ToString());
    }

    /// <summary>Applies a process agent that only sleeps: every agent has a mailbox, running or not.</summary>
    private async Task<string> ApplyAgentAsync()
    {
        var name = $"a{_topic}";
        _directory.Write("agent.yaml", $"""
            apiVersion: berth/v1
            kind: Agent
            metadata:
              name: {name}
            spec:
              process:
                command: /bin/sh
                args: ["-c", "sleep 600"]
            """);
        await RunOkAsync("apply", "-f", "agent.yaml");
        return name;
    }
}
