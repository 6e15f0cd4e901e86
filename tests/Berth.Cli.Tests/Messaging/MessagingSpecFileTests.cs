using Berth.Cli.Specs;
using Berth.Cli.Tests.Infrastructure;
using Berth.Core.Messaging;

namespace Berth.Cli.Tests.Messaging;

/// <summary><c>kind: Topic</c> and <c>kind: Subscription</c> documents in <c>berth validate -f</c> and <c>berth apply -f</c>, without a server.</summary>
public sealed class MessagingSpecFileTests : IDisposable
{
    internal const string Topics = """
        apiVersion: berth/v1
        kind: Topic
        metadata:
          name: orders
        spec:
          ordering: key
          maxDeliveries: 3
          deadLetter: orders-dead
        ---
        apiVersion: berth/v1
        kind: Topic
        metadata:
          name: orders-dead
        spec:
          retention: 30d
        """;

    internal const string Subscription = """
        apiVersion: berth/v1
        kind: Subscription
        metadata:
          name: orders-worker
        spec:
          topic: orders
          filter:
            kind: created
          delivery: pull
        """;

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private CliHarness Harness()
    {
        var harness = new CliHarness { CurrentDirectory = _directory.Path };
        harness.Environment["BERTH_URL"] = $"http://127.0.0.1:{UnusedPort.Get()}";
        harness.Environment["BERTH_TOKEN"] = "unused";
        return harness;
    }

    [Fact]
    public async Task Validate_TopicsAndSubscription_CountsEachKind()
    {
        _directory.Write("messaging.yaml", Topics + "\n---\n" + Subscription);

        var result = await Harness().RunAsync("validate", "-f", "messaging.yaml");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        result.Out.Trim().ShouldBe("valid: 0 agents, 0 workflows, 2 topics, 1 subscription");
    }

    [Fact]
    public async Task Validate_InvalidSubscription_NamesTheFieldWithItsLine()
    {
        _directory.Write("bad.yaml", Subscription.Replace("topic: orders", "topic: Not_A_Topic", StringComparison.Ordinal));

        var result = await Harness().RunAsync("validate", "-f", "bad.yaml");

        result.ExitCode.ShouldBe(ExitCodes.Invalid, result.ToString());
        result.Err.ShouldContain("bad.yaml:");
        result.Err.ShouldContain("spec.topic");
    }

    [Fact]
    public async Task Validate_SameTopicInTwoFiles_IsInvalidNamingBoth()
    {
        _directory.Write("a.yaml", Topics);
        _directory.Write("b.yaml", Topics);

        var result = await Harness().RunAsync("validate", "-f", "a.yaml", "-f", "b.yaml");

        result.ExitCode.ShouldBe(ExitCodes.Invalid, result.ToString());
        result.Err.ShouldContain("topic 'orders' is defined more than once (in a.yaml and b.yaml)");
    }

    [Fact]
    public async Task Validate_SameSubscriptionInTwoFiles_IsInvalid()
    {
        _directory.Write("a.yaml", Subscription);
        _directory.Write("b.yaml", Subscription);

        var result = await Harness().RunAsync("validate", "-f", "a.yaml", "-f", "b.yaml");

        result.ExitCode.ShouldBe(ExitCodes.Invalid, result.ToString());
        result.Err.ShouldContain("subscription 'orders-worker' is defined more than once");
    }

    [Fact]
    public async Task Apply_OneInvalidDocument_AppliesNothing()
    {
        _directory.Write("mixed.yaml", Topics + "\n---\n" + Subscription.Replace("delivery: pull", "delivery: sometimes", StringComparison.Ordinal));

        var result = await Harness().RunAsync("apply", "-f", "mixed.yaml");

        result.ExitCode.ShouldBe(ExitCodes.Invalid, result.ToString());
        result.Err.ShouldContain("nothing was applied");
        result.Out.ShouldBeEmpty();
    }

    [Fact]
    public void DeadLettersFirst_Chain_PutsEachTargetBeforeTheTopicNamingIt()
    {
        TopicSpec[] topics =
        [
            new() { Name = "a", DeadLetter = "b" },
            new() { Name = "other" },
            new() { Name = "b", DeadLetter = "c" },
            new() { Name = "c" },
        ];

        var ordered = TopicOrder.DeadLettersFirst(topics).Select(t => t.Name);

        ordered.ShouldBe(["c", "b", "a", "other"]);
    }

    [Fact]
    public void DeadLettersFirst_TargetNotInTheFiles_KeepsFileOrder()
    {
        TopicSpec[] topics = [new() { Name = "a", DeadLetter = "elsewhere" }, new() { Name = "b" }];

        TopicOrder.DeadLettersFirst(topics).Select(t => t.Name).ShouldBe(["a", "b"]);
    }

    [Fact]
    public void DeadLettersFirst_Cycle_PlacesEachTopicOnce()
    {
        TopicSpec[] topics = [new() { Name = "a", DeadLetter = "b" }, new() { Name = "b", DeadLetter = "a" }, new() { Name = "c", DeadLetter = "a" }];

        var ordered = TopicOrder.DeadLettersFirst(topics).Select(t => t.Name).ToList();

        ordered.ShouldBe(["b", "a", "c"]);
    }
}
