using Berth.Core.Messaging;
using Berth.Core.Workflows;

namespace Berth.Core.Tests.Messaging;

/// <summary>The rules both brokers share: filters, bounds and redelivery backoff.</summary>
public sealed class MessageRulesTests
{
    [Fact]
    public void Matches_FilterNamesEveryAttributeWithItsValue_OnlyThenTrue()
    {
        var attributes = new Dictionary<string, string> { ["type"] = "order", ["region"] = "eu" };

        MessageFilter.Matches(new Dictionary<string, string>(), attributes).ShouldBeTrue("an empty filter takes everything");
        MessageFilter.Matches(new Dictionary<string, string> { ["type"] = "order" }, attributes).ShouldBeTrue();
        MessageFilter.Matches(new Dictionary<string, string> { ["type"] = "Order" }, attributes).ShouldBeFalse("values compare exactly");
        MessageFilter.Matches(new Dictionary<string, string> { ["type"] = "order", ["tier"] = "gold" }, attributes).ShouldBeFalse("a missing attribute does not match");
    }

    [Fact]
    public void Check_HostileMessage_NamesEveryProblem()
    {
        var message = new OutgoingMessage
        {
            Publisher = "token:t",
            Key = "a\nb",
            DedupeId = new string('x', MessageLimits.MaxTextLength + 1),
            Attributes = Enumerable.Range(0, MessageLimits.MaxAttributes + 1).ToDictionary(i => i == 0 ? "bad name" : $"a{i}", _ => "v"),
        };

        var problems = MessageLimits.Check(message);

        problems.ShouldContain(p => p.StartsWith("key: holds a control character", StringComparison.Ordinal));
        problems.ShouldContain(p => p.StartsWith("Message-Id: 257 characters", StringComparison.Ordinal));
        problems.ShouldContain(p => p.Contains("'bad name' is not an attribute name", StringComparison.Ordinal));
        problems.ShouldContain(p => p.Contains($"at most {MessageLimits.MaxAttributes} are allowed", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_OrdinaryMessage_NoProblems() =>
        MessageLimits.Check(new OutgoingMessage { Publisher = "token:t", Key = "k", Attributes = new Dictionary<string, string> { ["berth.kind"] = "x" } }).ShouldBeEmpty();

    [Theory]
    [InlineData(BackoffKind.Exponential, 1, 1)]
    [InlineData(BackoffKind.Exponential, 3, 4)]
    [InlineData(BackoffKind.Exponential, 20, 60)]
    [InlineData(BackoffKind.Linear, 3, 3)]
    [InlineData(BackoffKind.Constant, 5, 1)]
    public void DelayAfter_GrowsByTheBackoffUpToMaxDelay(BackoffKind backoff, int deliveries, int seconds) =>
        new RedeliverySpec { Backoff = backoff, InitialDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromMinutes(1) }
            .DelayAfter(deliveries).ShouldBe(TimeSpan.FromSeconds(seconds));

    [Fact]
    public void AgentOf_OnlyMailboxNames() =>
        (Mailboxes.AgentOf("agent/bob"), Mailboxes.AgentOf("orders"), Mailboxes.AgentOf("agent/")).ShouldBe(("bob", (string?)null, (string?)null));
}
