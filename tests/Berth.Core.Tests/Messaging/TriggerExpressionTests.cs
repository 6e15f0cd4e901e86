using System.Text.Json.Nodes;
using Berth.Core.Workflows.Expressions;

namespace Berth.Core.Tests.Messaging;

/// <summary><c>${{ trigger.message… }}</c>: what started a run, read by its steps.</summary>
public sealed class TriggerExpressionTests
{
    private static readonly ExpressionScope Triggered = new()
    {
        Trigger = new JsonObject { ["message"] = new JsonObject { ["id"] = "m1", ["body"] = new JsonObject { ["order"] = new JsonObject { ["id"] = 42 } } } },
    };

    [Fact]
    public void Evaluate_TriggerMessageBodyPath_ReadsTheMessage() =>
        Template.Parse("order ${{ trigger.message.body.order.id }} (${{ trigger.message.id }})").EvaluateText(Triggered).ShouldBe("order 42 (m1)");

    [Fact]
    public void Evaluate_TriggerInARunNoTriggerStarted_SaysSo() =>
        Should.Throw<ExpressionException>(() => Template.Parse("${{ trigger.message.body }}").Evaluate(new ExpressionScope()))
            .Message.ShouldContain("only set in a run a trigger started");

    [Fact]
    public void Parse_TriggerWithoutAMember_NamesWhatIsExpected() =>
        Should.Throw<ExpressionException>(() => Template.Parse("${{ trigger }}")).Message.ShouldContain("trigger.message.body");
}
