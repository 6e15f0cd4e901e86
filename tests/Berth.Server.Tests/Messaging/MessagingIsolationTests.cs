using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Berth.Client.Contracts;
using Berth.Core.Serialization;
using Berth.Server.Tests.Support;
using Berth.Testing;

namespace Berth.Server.Tests.Messaging;

/// <summary>What an agent's own token may do with messages: its spec decides, and nothing reaches another agent's mail.</summary>
public sealed class MessagingIsolationTests(SharedServerFixture fixture) : IClassFixture<SharedServerFixture>
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task Mailbox_AnotherAgentsToken_403AndTheMailStaysForItsOwner()
    {
        var owner = Messages.NewName("owner");
        var snoop = Messages.NewName("snoop");
        using var asOwner = Server.CreateHttp(await AgentTokens.CreateAsync(Server, owner, mayCall: null));
        using var asSnoop = Server.CreateHttp(await AgentTokens.CreateAsync(Server, snoop, mayCall: owner));
        var sent = await Messages.PublishAsync(asSnoop, $"/api/v1/mailboxes/{owner}/messages", new JsonObject { ["secret"] = "for the owner" });

        using var read = await asSnoop.GetAsync($"/api/v1/mailboxes/{owner}/messages?max=10", TestTimeouts.Token());
        using var ack = await asSnoop.PostAsJsonAsync($"/api/v1/mailboxes/{owner}/ack", new AckRequest { AckIds = ["x"] }, BerthJson.Options, TestTimeouts.Token());
        using var stream = await asSnoop.GetAsync($"/api/v1/mailboxes/{owner}/stream", HttpCompletionOption.ResponseHeadersRead, TestTimeouts.Token());

        read.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        ack.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        stream.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var mail = (await Messages.ReceiveSomeAsync(asOwner, $"/api/v1/mailboxes/{owner}/messages")).ShouldHaveSingleItem();
        (mail.Id, mail.Body!["secret"]!.GetValue<string>(), mail.Publisher).ShouldBe((sent.Id, "for the owner", $"agent:{snoop}/{snoop}-0"));
    }

    [Fact]
    public async Task Mailbox_DeadLetter_AnOperatorRequeuesAndPurgesIt_TheAgentCannot()
    {
        var owner = Messages.NewName("owner");
        using var asOwner = Server.CreateHttp(await AgentTokens.CreateAsync(Server, owner, mayCall: null));
        var mailbox = $"/api/v1/mailboxes/{owner}/messages";
        var sent = await Messages.PublishAsync(Server.Http, mailbox, "unreadable");
        for (var delivery = 1; delivery <= 5; delivery++)
        {
            var got = (await Messages.ReceiveSomeAsync(asOwner, mailbox)).ShouldHaveSingleItem();
            got.Delivery.ShouldBe(delivery);
            await Messages.SettleAsync(asOwner, Messages.Beside(mailbox, "nack"), new NackRequest { AckIds = [got.AckId], Delay = TimeSpan.Zero, Reason = "cannot read it" });
        }

        using var byAgent = await asOwner.PostAsJsonAsync($"/api/v1/mailboxes/{owner}/requeue", new RequeueRequest(), BerthJson.Options, TestTimeouts.Token());
        using var requeued = await Server.Http.PostAsJsonAsync($"/api/v1/mailboxes/{owner}/requeue", new RequeueRequest(), BerthJson.Options, TestTimeouts.Token());
        var again = (await Messages.ReceiveSomeAsync(asOwner, mailbox)).ShouldHaveSingleItem();
        using var purged = await Server.Http.PostAsync($"/api/v1/mailboxes/{owner}/purge", null, TestTimeouts.Token());

        byAgent.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await requeued.Content.ReadFromJsonAsync<CountResponse>(BerthJson.Options, TestTimeouts.Token()))!.Count.ShouldBe(1);
        (again.Id, again.Delivery).ShouldBe((sent.Id, 1));
        (await purged.Content.ReadFromJsonAsync<CountResponse>(BerthJson.Options, TestTimeouts.Token()))!.Count.ShouldBe(1);
        (await Messages.ReceiveAsync(asOwner, mailbox)).ShouldBeEmpty();
    }

    [Fact]
    public async Task SendMail_ToAnAgentItsSpecDoesNotName_403()
    {
        var stranger = Messages.NewName("stranger");
        var target = Messages.NewName("target");
        await AgentTokens.CreateAsync(Server, target, mayCall: null);
        using var asStranger = Server.CreateHttp(await AgentTokens.CreateAsync(Server, stranger, mayCall: null));

        using var toTarget = await Messages.PostPublishAsync(asStranger, $"/api/v1/mailboxes/{target}/messages", 1);
        using var toItself = await Messages.PostPublishAsync(asStranger, $"/api/v1/mailboxes/{stranger}/messages", 1);

        toTarget.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        toItself.StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Publish_OnlyToTopicsInAccessPublish()
    {
        var allowed = Messages.NewName("t");
        var other = Messages.NewName("t");
        await Messages.ApplyTopicAsync(Server.Http, allowed);
        await Messages.ApplyTopicAsync(Server.Http, other);
        using var asAgent = Server.CreateHttp(await AgentTokens.CreateAsync(Server, Messages.NewName("pub"), mayCall: null, mayPublish: [allowed]));

        using var yes = await Messages.PostPublishAsync(asAgent, $"/api/v1/topics/{allowed}/messages", 1);
        using var no = await Messages.PostPublishAsync(asAgent, $"/api/v1/topics/{other}/messages", 1);

        yes.StatusCode.ShouldBe(HttpStatusCode.Created);
        no.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Consume_OnlySubscriptionsDeliveredToTheAgent()
    {
        var consumer = Messages.NewName("consumer");
        var topic = Messages.NewName("t");
        var mine = Messages.NewName("s");
        var theirs = Messages.NewName("s");
        await Messages.ApplyTopicAsync(Server.Http, topic);
        await Messages.ApplySubscriptionAsync(Server.Http, mine, topic, $"  delivery: {{ pull: {{ agent: {consumer} }} }}\n");
        await Messages.ApplySubscriptionAsync(Server.Http, theirs, topic);
        using var asConsumer = Server.CreateHttp(await AgentTokens.CreateAsync(Server, consumer, mayCall: null));
        var published = await Messages.PublishAsync(Server.Http, $"/api/v1/topics/{topic}/messages", "work");

        using var denied = await asConsumer.GetAsync($"/api/v1/subscriptions/{theirs}/messages?max=1", TestTimeouts.Token());
        var received = (await Messages.ReceiveSomeAsync(asConsumer, $"/api/v1/subscriptions/{mine}/messages")).ShouldHaveSingleItem();

        denied.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        received.Id.ShouldBe(published.Id);
        (await Messages.AckAsync(asConsumer, $"/api/v1/subscriptions/{mine}/messages", received.AckId)).Settled.ShouldBe([received.AckId]);
    }

    [Fact]
    public async Task Request_AgentRepliesFromItsMailbox_TheCallerGetsTheReplyAsTheAnswer()
    {
        var responder = Messages.NewName("responder");
        using var asResponder = Server.CreateHttp(await AgentTokens.CreateAsync(Server, responder, mayCall: null));
        var answering = AnswerOneRequestAsync(asResponder, responder);

        using var response = await Server.Http.PostAsJsonAsync(
            $"/api/v1/mailboxes/{responder}/requests?timeout=60s", new PublishRequest { Body = new JsonObject { ["question"] = 6 } }, BerthJson.Options, TestTimeouts.Token());
        await answering.WaitAsync(TestTimeouts.Slow);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var reply = (await response.Content.ReadFromJsonAsync<ReplyResponse>(BerthJson.Options, TestTimeouts.Token()))!;
        reply.Reply!.Body!["answer"]!.GetValue<int>().ShouldBe(42);
        reply.Reply.CorrelationId.ShouldBe(reply.CorrelationId);
    }

    [Fact]
    public async Task Request_FromAnAgent_ReplyAlsoLandsInTheCallersMailbox()
    {
        var responder = Messages.NewName("responder");
        var caller = Messages.NewName("caller");
        using var asResponder = Server.CreateHttp(await AgentTokens.CreateAsync(Server, responder, mayCall: null));
        using var asCaller = Server.CreateHttp(await AgentTokens.CreateAsync(Server, caller, mayCall: responder));
        var answering = AnswerOneRequestAsync(asResponder, responder);

        using var response = await asCaller.PostAsJsonAsync(
            $"/api/v1/mailboxes/{responder}/requests?timeout=60s", new PublishRequest { Body = new JsonObject { ["question"] = 6 } }, BerthJson.Options, TestTimeouts.Token());
        await answering.WaitAsync(TestTimeouts.Slow);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var reply = (await response.Content.ReadFromJsonAsync<ReplyResponse>(BerthJson.Options, TestTimeouts.Token()))!;
        var inMailbox = (await Messages.ReceiveSomeAsync(asCaller, $"/api/v1/mailboxes/{caller}/messages")).ShouldHaveSingleItem();
        (inMailbox.CorrelationId, inMailbox.Body!["answer"]!.GetValue<int>()).ShouldBe((reply.CorrelationId, 42));
    }

    [Fact]
    public async Task Request_NobodyAnswers_202WithTheCorrelationId()
    {
        var silent = Messages.NewName("silent");
        await AgentTokens.CreateAsync(Server, silent, mayCall: null);

        using var response = await Server.Http.PostAsJsonAsync(
            $"/api/v1/mailboxes/{silent}/requests?timeout=1s", new PublishRequest { Body = "anyone?" }, BerthJson.Options, TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var answer = (await response.Content.ReadFromJsonAsync<ReplyResponse>(BerthJson.Options, TestTimeouts.Token()))!;
        (answer.Reply, answer.CorrelationId.Length > 0).ShouldBe((null, true));
    }

    private static async Task AnswerOneRequestAsync(HttpClient asAgent, string agent)
    {
        var request = (await Messages.ReceiveSomeAsync(asAgent, $"/api/v1/mailboxes/{agent}/messages")).ShouldHaveSingleItem();
        var question = request.Body!["question"]!.GetValue<int>();
        await Messages.PublishAsync(asAgent, $"/api/v1/mailboxes/{agent}/messages/{request.Id}/reply", new JsonObject { ["answer"] = question * 7 });
        await Messages.AckAsync(asAgent, $"/api/v1/mailboxes/{agent}/messages", request.AckId);
    }
}
