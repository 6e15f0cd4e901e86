using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Berth.Cli.Output;
using Berth.Client.Contracts;
using Spectre.Console;

namespace Berth.Cli.Commands.Llm;

/// <summary>
/// <c>berth budgets set AGENT --period day|month [--tokens N] [--cost X]</c>: sets the agent's budget for the period, replacing the
/// one it had; at least one limit. A call through the gateway that would break it is refused with 429 and nothing is sent.
/// </summary>
internal static class BudgetsSetCommand
{
    public static Command Create(CliContext context)
    {
        var agent = new Argument<string>("agent") { Description = "The agent whose LLM calls the budget limits" };
        var period = BudgetPeriodOption.Create("The window the budget limits: a UTC calendar day or month");
        var tokens = new Option<long?>("--tokens") { Description = "Most tokens (prompt plus completion) in the window; 1 or more", HelpName = "N" };
        var cost = new Option<decimal?>("--cost")
        {
            Description = "Most cost in the window, in the currency of the endpoints' prices, like 12.50; more than 0",
            HelpName = "X",
            CustomParser = ParseCost,
        };
        var command = new Command("set", "Set an agent's LLM budget for a UTC day or month: --tokens, --cost or both") { agent, period, tokens, cost };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var name = session.ParseResult.GetRequiredValue(agent);
            var window = session.ParseResult.GetRequiredValue(period);
            var maxTokens = session.ParseResult.GetValue(tokens);
            var maxCost = session.ParseResult.GetValue(cost);
            if (maxTokens is null && maxCost is null)
            {
                throw new CliException($"pass --tokens, --cost or both; to remove the budget run 'berth budgets rm {name} --period {window}'", ExitCodes.Usage);
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
                name, BudgetPeriodOption.Parse(window), new BudgetRequest { MaxTokens = maxTokens, MaxCost = maxCost }, cancellationToken);
            session.Out.WriteLine($"budget/{name}/{window} set");
            session.Console.WriteLine(
                $"{(window == "day" ? "today" : "this month")}: tokens {BudgetsTable.Tokens(status)}, cost {BudgetsTable.Cost(status)}; resets at {BudgetsTable.Time(status.ResetsAt)}");
            return ExitCodes.Ok;
        });
        return command;
    }

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
