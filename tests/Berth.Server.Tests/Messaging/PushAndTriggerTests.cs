using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Client.Contracts;
using Berth.Core.Messaging;
using Berth.Core.Serialization;
using Berth.Core.Workflows.Runs;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Berth.Testing.Agents;

namespace Berth.Server.Tests.Messaging;

/// <summary>Push delivery to a real process agent (busybox httpd) and message-triggered workflow runs.</summary>
public sealed class PushAndTriggerTests(SharedServerFixture fixture) : IClassFixture<SharedServerFixture>
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task Push_EachMessageIsPostedToTheAgentAndAckedOn2xx()
    {
        using var agent = new BusyboxHttpAgent();
        var name = Messages.NewName("pushed");
        await ApplyRunningAsync(agent, name);
        var topic = Messages.NewName("t");
        var subscription = Messages.NewName("s");
        await Messages.ApplyTopicAsync(Server.Http, topic);
        await Messages.ApplySubscriptionAsync(Server.Http, subscription, topic, $"  delivery: {{ push: {{ agent: {name}, path: /cgi-bin/count, concurrency: 2 }} }}\n");

        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await Messages.PublishAsync(Server.Http, $"/api/v1/topics/{topic}/messages", new JsonObject { ["n"] = i })).Id);
        }

        var runs = await Eventually.MatchAsync(_ => Task.FromResult(agent.Runs), r => r.Count >= 3, "three pushes to reach the agent");
        var pushed = runs.Select(r => System.Text.Json.JsonSerializer.Deserialize<ReceivedMessage>(r, BerthJson.Options)!).ToList();
        pushed.Select(m => m.Id).Order().ShouldBe(ids.Order());
        pushed.ShouldAllBe(m => m.Subscription == subscription && m.Delivery == 1);
        await Eventually.MatchAsync(_ => StatsAsync(subscription), s => s.Ready + s.Leased == 0, "every push to be acked");
    }

    [Fact]
    public async Task Push_AgentAnswersAnError_RetriedThenDeadLetteredWithTheAnswerAsLastError()
    {
        using var agent = new BusyboxHttpAgent();
        var name = Messages.NewName("wrongpath");
        await ApplyRunningAsync(agent, name);
        var topic = Messages.NewName("t");
        var subscription = Messages.NewName("s");
        await Messages.ApplyTopicAsync(Server.Http, topic, "\n  maxDeliveries: 2");
        await Messages.ApplySubscriptionAsync(Server.Http, subscription, topic,
            $"  delivery: {{ push: {{ agent: {name}, path: /no/such/path }} }}\n  retry: {{ initialDelay: 0s }}\n");

        var published = await Messages.PublishAsync(Server.Http, $"/api/v1/topics/{topic}/messages", "undeliverable");

        var dead = await Eventually.MatchAsync(
            async ct => await Server.Http.GetFromJsonAsync<List<MessageEntry>>($"/api/v1/messages?subscription={subscription}&state=dead", BerthJson.Options, ct),
            d => d is { Count: 1 },
            "the message to be dead-lettered after two failed pushes");
        var entry = dead!.Single();
        (entry.Id, entry.Deliveries).ShouldBe((published.Id, 2));
        entry.LastError!.ShouldContain($"agent '{name}' answered 501", Case.Sensitive, "busybox httpd answers a POST to a path that is not a CGI script with 501");
    }

    [Fact]
    public async Task Trigger_EachMatchingMessageStartsOneRunWithTheMessageAsTrigger()
    {
        using var agent = new BusyboxHttpAgent();
        var name = Messages.NewName("counter");
        await ApplyRunningAsync(agent, name);
        var topic = Messages.NewName("t");
        var workflow = Messages.NewName("wf");
        await Messages.ApplyTopicAsync(Server.Http, topic);
        var yaml = $$$"""
            apiVersion: berth/v1
            kind: Workflow
            metadata: { name: {{{workflow}}} }
            spec:
              inputs:
                who: { type: string, default: nobody }
              on:
                message: { topic: {{{topic}}}, filter: { type: greet } }
              steps:
                - id: call
                  agent: { name: {{{name}}}, method: POST, path: /cgi-bin/count, body: "${{ trigger.message.body.text }} ${{ inputs.who }}" }
            """;
        using (var content = new StringContent(yaml, Encoding.UTF8, "application/yaml"))
        using (var applied = await Server.Http.PutAsync($"/api/v1/workflows/{workflow}", content, TestTimeouts.Token()))
        {
            applied.StatusCode.ShouldBe(HttpStatusCode.Created, await applied.Content.ReadAsStringAsync());
        }

        await Eventually.MatchAsync(
            async ct => await Server.Http.GetFromJsonAsync<List<TopicView>>("/api/v1/topics", BerthJson.Options, ct),
            topics => topics!.Single(t => t.Name == topic).Subscriptions.Contains($"workflow/{workflow}"),
            "the workflow's trigger to subscribe");
        var greet = new Dictionary<string, string> { ["type"] = "greet" };
        await Messages.PublishAsync(Server.Http, $"/api/v1/topics/{topic}/messages", new JsonObject { ["text"] = "hello", ["who"] = "ada" }, attributes: greet);
        await Messages.PublishAsync(Server.Http, $"/api/v1/topics/{topic}/messages", new JsonObject { ["text"] = "ignored" }, attributes: new Dictionary<string, string> { ["type"] = "other" });
        await Messages.PublishAsync(Server.Http, $"/api/v1/topics/{topic}/messages", new JsonObject { ["text"] = "bye" }, attributes: greet);

        var runs = await Eventually.MatchAsync(
            async ct => await Server.Http.GetFromJsonAsync<List<RunView>>($"/api/v1/runs?workflow={workflow}", BerthJson.Options, ct),
            r => r!.Count == 2 && r.All(run => run.State == RunState.Succeeded),
            "two runs, one per greeting, to succeed");
        runs!.ShouldAllBe(r => r.StartedBy.StartsWith("message:", StringComparison.Ordinal));
        agent.Runs.Order().ShouldBe(["\"bye nobody\"", "\"hello ada\""]);
    }

    private async Task ApplyRunningAsync(BusyboxHttpAgent agent, string name)
    {
        using (var applied = await Server.ApplyAsync(agent.Spec(name)))
        {
            applied.IsSuccessStatusCode.ShouldBeTrue();
        }

        await Server.WaitRunningAsync(name);
    }

    private async Task<SubscriptionStats> StatsAsync(string subscription) =>
        (await Server.Http.GetFromJsonAsync<SubscriptionView>($"/api/v1/subscriptions/{subscription}", BerthJson.Options, TestTimeouts.Token()))!.Stats;
}
