using System.CommandLine;
using Berth.Cli.Output;
using Berth.Core.Llm;
using Spectre.Console;

namespace Berth.Cli.Commands.Llm;

/// <summary>
/// <c>berth usage [AGENT] [--since 7d] [--by agent|model|run|workflow|day|endpoint] [--run ID] [--workflow NAME]
/// [-o table|json|yaml]</c>: what LLM calls through the gateway used and cost, one row per group and a total.
/// </summary>
internal static class UsageCommand
{
    public static Command Create(CliContext context)
    {
        var agent = new Argument<string?>("agent") { Description = "Count only this agent's calls (default: every caller)", Arity = ArgumentArity.ZeroOrOne };
        var since = new Option<string?>("--since") { Description = "Count calls since a duration ago (7d) or an ISO 8601 time (default 7d)", HelpName = "when" };
        var by = new Option<string?>("--by") { Description = $"Group by one of: {UsageGroupings.Names} (default agent)", HelpName = "grouping" };
        by.CompletionSources.Add(UsageGroupings.Names.Split(", "));
        var run = new Option<string?>("--run") { Description = "Count only this workflow run's calls", HelpName = "id" };
        var workflow = new Option<string?>("--workflow") { Description = "Count only the calls made for this workflow's runs", HelpName = "name" };
        var output = GlobalOptions.CreateOutput();
        var command = new Command("usage", "Show what LLM calls through the gateway used and cost, grouped") { agent, since, by, run, workflow, output };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var grouping = Grouping(session.ParseResult.GetValue(by));
            using var client = session.CreateClient();
            var report = await client.GetUsageAsync(
                SinceOption.Check(session.ParseResult.GetValue(since)),
                grouping,
                session.ParseResult.GetValue(agent),
                session.ParseResult.GetValue(run),
                session.ParseResult.GetValue(workflow),
                cancellationToken);
            var format = session.ParseResult.GetValue(output);
            if (format != OutputFormat.Table)
            {
                DataWriter.Write(session.Out, report, format);
                return ExitCodes.Ok;
            }

            session.OutConsole.Write(UsageTable.Build(report));
            session.Console.WriteLine($"calls since {Formats.Time(report.Since, session.Context.Time.GetUtcNow())}");
            if (report.Total.InFlight > 0)
            {
                var count = report.Total.InFlight;
                session.Console.WriteLine($"{count} call{(count == 1 ? " is" : "s are")} still in flight: counted, without the tokens and cost they have not reported yet");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static UsageGrouping Grouping(string? text) =>
        UsageGroupings.TryParse(text, out var grouping)
            ? grouping
            : throw new CliException($"--by must be one of {UsageGroupings.Names}, got '{text}'", ExitCodes.Usage);
}
