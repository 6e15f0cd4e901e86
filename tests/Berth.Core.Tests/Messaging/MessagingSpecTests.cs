using Berth.Core.Messaging;
using Berth.Core.Specs;
using Berth.Core.Tests.Specs;
using Berth.Core.Workflows;

namespace Berth.Core.Tests.Messaging;

/// <summary>kind: Topic and kind: Subscription read through the one spec pipeline, with their defaults and every rule.</summary>
public sealed class MessagingSpecTests
{
    [Fact]
    public void Read_TopicWithNothingSet_HasTheDocumentedDefaults()
    {
        var topic = SpecTestData.Read("apiVersion: berth/v1\nkind: Topic\nmetadata: { name: orders }\nspec: {}\n").Topics.ShouldHaveSingleItem();

        (topic.Name, topic.Retention, topic.MaxDeliveries, topic.VisibilityTimeout, topic.Ordering, topic.DeadLetter, topic.DedupeWindow)
            .ShouldBe(("orders", TimeSpan.FromDays(7), 5, TimeSpan.FromSeconds(30), MessageOrdering.None, (string?)null, TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public void Read_TopicOutOfRange_ReportsEachFieldWithItsRange()
    {
        var set = SpecTestData.Read(
            "apiVersion: berth/v1\nkind: Topic\nmetadata: { name: orders }\nspec: { retention: 30s, visibilityTimeout: 13h, maxDeliveries: 0, deadLetter: orders }\n");

        set.Errors.Select(e => e.Path).ShouldBe(["spec.retention", "spec.visibilityTimeout", "spec.maxDeliveries", "spec.deadLetter"], ignoreOrder: true);
        set.Errors.Single(e => e.Path == "spec.deadLetter").Message.ShouldContain("names the topic itself");
    }

    [Fact]
    public void Read_SubscriptionDeliveryShortFormPull_IsPullForUsers()
    {
        var subscription = SpecTestData.Read("apiVersion: berth/v1\nkind: Subscription\nmetadata: { name: billing }\nspec: { topic: orders, delivery: pull }\n")
            .Subscriptions.ShouldHaveSingleItem();

        (subscription.Topic, subscription.Delivery.Pull is not null, subscription.Delivery.Push, subscription.Delivery.Agent).ShouldBe(("orders", true, (PushDeliverySpec?)null, (string?)null));
    }

    [Fact]
    public void Read_PushSubscription_TakesAgentPathAndConcurrency()
    {
        var subscription = SpecTestData.Read(
            "apiVersion: berth/v1\nkind: Subscription\nmetadata: { name: ship }\nspec: { topic: orders, filter: { type: created }, delivery: { push: { agent: shipper, path: /in, concurrency: 8 } } }\n")
            .Subscriptions.ShouldHaveSingleItem();

        subscription.Delivery.Push.ShouldBe(new PushDeliverySpec { Agent = "shipper", Path = "/in", Concurrency = 8 });
        (subscription.Delivery.Agent, subscription.Filter["type"]).ShouldBe(("shipper", "created"));
    }

    [Theory]
    [InlineData("delivery: push", "spec.delivery")]
    [InlineData("delivery: { push: { path: /in } }", "spec.delivery.push.agent")]
    [InlineData("delivery: { push: { agent: a, path: 'in' } }", "spec.delivery.push.path")]
    [InlineData("delivery: { push: { agent: a, path: '/a/../b' } }", "spec.delivery.push.path")]
    [InlineData("delivery: { push: { agent: a, concurrency: 65 } }", "spec.delivery.push.concurrency")]
    [InlineData("delivery: { pull: {}, push: { agent: a } }", "spec.delivery")]
    [InlineData("filter: { 'bad name': x }", "spec.filter")]
    [InlineData("retry: { initialDelay: 2h }", "spec.retry.initialDelay")]
    public void Read_BadSubscription_NamesTheField(string line, string path)
    {
        var set = SpecTestData.Read($"apiVersion: berth/v1\nkind: Subscription\nmetadata: {{ name: s }}\nspec:\n  topic: orders\n  {line}\n");

        set.Errors.Select(e => e.Path).ShouldContain(path);
    }

    [Fact]
    public void Read_SubscriptionWithoutTopic_TopicIsRequired() =>
        SpecTestData.Read("apiVersion: berth/v1\nkind: Subscription\nmetadata: { name: s }\nspec: {}\n").ShouldHaveOneError("spec.topic").Message.ShouldStartWith("required");

    [Fact]
    public void Read_WorkflowTrigger_ReadsTopicAndFilter()
    {
        var workflow = SpecTestData.Read(
            "apiVersion: berth/v1\nkind: Workflow\nmetadata: { name: w }\nspec:\n  on: { message: { topic: orders, filter: { type: created } } }\n  steps: [{ id: a, agent: { name: x } }]\n")
            .Workflows.ShouldHaveSingleItem();

        workflow.On!.Message.ShouldNotBeNull().Topic.ShouldBe("orders");
        workflow.On.Message.Filter["type"].ShouldBe("created");
    }

    [Fact]
    public void Read_WorkflowTriggerWithoutMessage_SaysWhatIsExpected() =>
        SpecTestData.Read("apiVersion: berth/v1\nkind: Workflow\nmetadata: { name: w }\nspec:\n  on: {}\n  steps: [{ id: a, agent: { name: x } }]\n")
            .ShouldHaveOneError("spec.on").Message.ShouldContain("message: { topic, filter }");

    [Fact]
    public void Read_AccessPublish_TopicNamesOnceEach()
    {
        var set = SpecTestData.Read(SpecTestData.Agent("pub", "image: local/echo:1", "access: { publish: [orders, orders, 'Bad Name'] }"));

        set.Errors.Select(e => e.Path).ShouldBe(["spec.access.publish[1]", "spec.access.publish[2]"], ignoreOrder: true);
    }

    [Fact]
    public void Write_TopicThenRead_RoundTrips()
    {
        var topic = new TopicSpec { Name = "orders", Ordering = MessageOrdering.Key, MaxDeliveries = 3, DeadLetter = "dead" };

        var text = System.Text.Json.JsonSerializer.Serialize(SpecDocuments.ToDocument(topic));
        var read = SpecTestData.Read(text).Topics.ShouldHaveSingleItem();

        read.ShouldBe(topic);
    }
}
