using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Berth.Client.Contracts;
using Berth.Core.Llm;
using Spectre.Console;

namespace Berth.Cli.Commands.Llm;

/// <summary>
/// <c>berth budgets set NAME --period day|month|run [--tokens N] [--cost X]</c>: sets the budget of an agent (<c>AGENT</c> or
/// <c>agent/AGENT</c>, per UTC day or month) or of a workflow (<c>workflow/WORKFLOW</c>, per run or per UTC day or month), replacing
/// the one it had for the period; at least one limit. A call through the gateway that would break it is refused with 429 and
/// nothing is sent.
/// </summary>
internal static class BudgetsSetCommand
{
    public static Command Create(CliContext context)
    {
        var subject = new Argument<string>("name") { Description = "Whose LLM calls the budget limits: AGENT, agent/AGENT or workflow/WORKFLOW" };
        var period = BudgetPeriodOption.Create("The window the budget limits: a UTC calendar day or month, or each run of a workflow");
        var tokens = new Option<long?>("--tokens") { Description = "Most tokens (prompt plus completion) in the window; 1 or more", HelpName = "N" };
        var cost = new Option<decimal?>("--cost")
        {
            Description = "Most cost in the window, in the currency of the endpoints' prices, like 12.50; more than 0",
            HelpName = "X",
            CustomParser = ParseCost,
        };
        var command = new Command("set", "Set an agent's LLM budget per UTC day or month, or a workflow's per run, day or month: --tokens, --cost or both")
        {
            subject, period, tokens, cost,
        };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var budget = BudgetSubject.Parse(session.ParseResult.GetRequiredValue(subject));
            var window = budget.Check(BudgetPeriodOption.Parse(session.ParseResult.GetRequiredValue(period)), "set");
            var maxTokens = session.ParseResult.GetValue(tokens);
            var maxCost = session.ParseResult.GetValue(cost);
            if (maxTokens is null && maxCost is null)
            {
                throw new CliException($"pass --tokens, --cost or both; to remove the budget run 'berth budgets rm {budget} --period {window.WireName()}'", ExitCodes.Usage);
            }

            if (maxTokens is < 1)
            {
                throw new CliException($"--tokens must be 1 or more; got {maxTokens}", ExitCodes.Usage);
            }

            if (maxCost is <= 0m)
            {
                throw new CliException($"--cost must be more than 0; got {maxCost?.ToString(CultureInfo.InvariantCulture)}", ExitCodes.Usage);
            }

            using var client = session.CreateClient();
            var status = await client.SetBudgetAsync(
                budget.Scope, budget.Name, window, new BudgetRequest { MaxTokens = maxTokens, MaxCost = maxCost }, cancellationToken);
            session.Out.WriteLine($"budget/{budget}/{window.WireName()} set");
            session.Console.WriteLine(Used(status));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// What the budget's window has used and when it resets: <c>today: tokens 0/2000000, cost -; resets at ...</c>. A per-run budget
    /// never resets; what it shows is the latest run's use (<c>latest run ID: tokens 29/140, ...</c>), if a run has made calls.
    /// </summary>
    internal static string Used(BudgetStatus status)
    {
        var used = $"tokens {BudgetsTable.Tokens(status)}, cost {BudgetsTable.Cost(status)}";
        return status.Budget.Period switch
        {
            BudgetPeriod.Run when status.RunId is { } run => $"latest run {run}: {used}; each run starts with the whole budget",
            BudgetPeriod.Run => $"no run has made LLM calls yet: {used}; each run starts with the whole budget",
            BudgetPeriod.Month => $"this month: {used}; resets at {Resets(status)}",
            _ => $"today: {used}; resets at {Resets(status)}",
        };
    }

    private static string Resets(BudgetStatus status) => status.ResetsAt is { } time ? BudgetsTable.Time(time) : "-";

    /// <summary>A cost written the same way whatever the machine's culture: <c>12.50</c>.</summary>
    private static decimal? ParseCost(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        result.AddError($"'{text}' is not a cost; write it like 50 or 12.50");
        return null;
    }
}
