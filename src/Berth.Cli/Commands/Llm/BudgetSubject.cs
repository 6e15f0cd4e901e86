using Berth.Core.Llm;
using Berth.Core.Specs;

namespace Berth.Cli.Commands.Llm;

/// <summary>
/// Whose budget <c>berth budgets set|ls|rm</c> name: <c>AGENT</c> or <c>agent/AGENT</c> (an agent), or <c>workflow/WORKFLOW</c>,
/// the form <see cref="LlmBudget.Subject"/> and the budget-exceeded problem write. A bare name stays an agent's, as it was before
/// workflows had budgets.
/// </summary>
internal sealed record BudgetSubject(BudgetScope Scope, string Name)
{
    private const string Forms = "write AGENT, agent/AGENT or workflow/WORKFLOW";

    /// <summary>Reads the command line's NAME; a usage error says what is wrong with it.</summary>
    public static BudgetSubject Parse(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var (scope, name) = slash < 0 ? (BudgetScope.Agent, text) : (ParseScope(text, text[..slash]), text[(slash + 1)..]);
        if (!SpecNames.IsDnsLabel(name))
        {
            var what = scope == BudgetScope.Workflow ? "a workflow's" : "an agent's";
            throw new CliException(
                $"'{text}': '{name}' is not {what} name, {SpecNames.DnsLabelHint}; {Forms}",
                ExitCodes.Usage);
        }

        return new BudgetSubject(scope, name);
    }

    /// <summary>
    /// The period, or a usage error when the scope does not take it: only a workflow's budget may be per run, and the error names
    /// the <c>workflow/NAME</c> form to write instead (<paramref name="verb"/> is <c>set</c> or <c>rm</c>).
    /// </summary>
    public BudgetPeriod Check(BudgetPeriod period, string verb) =>
        Scope.Allows(period)
            ? period
            : throw new CliException(
                $"--period run is for a workflow's budget (each of its runs); an agent's budget is per day or month. If '{Name}' is a workflow, write workflow/{Name}: 'berth budgets {verb} workflow/{Name} --period run'",
                ExitCodes.Usage);

    /// <summary>The periods the scope takes, as <c>--period</c>'s help writes them: <c>day|month</c>, or <c>run|day|month</c> for a workflow.</summary>
    public string Periods => Scope == BudgetScope.Workflow ? "run|day|month" : "day|month";

    /// <summary><c>agent/NAME</c> or <c>workflow/NAME</c>.</summary>
    public override string ToString() => $"{Scope.WireName()}/{Name}";

    private static BudgetScope ParseScope(string text, string prefix) => prefix switch
    {
        "agent" => BudgetScope.Agent,
        "workflow" => BudgetScope.Workflow,
        _ => throw new CliException($"'{text}': '{prefix}' is not a budget's scope; {Forms}", ExitCodes.Usage),
    };
}
