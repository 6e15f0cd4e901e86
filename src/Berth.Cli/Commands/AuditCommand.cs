using System.CommandLine;
using System.Globalization;
using Berth.Cli.Output;
using Berth.Core.Specs;
using Spectre.Console;

namespace Berth.Cli.Commands;

/// <summary><c>berth audit [--since 1h] [--principal NAME] [--limit N] [-o table|json|yaml]</c>: the audit log, newest first (admin only).</summary>
internal static class AuditCommand
{
    private const int MaxLimit = 1000;

    public static Command Create(CliContext context)
    {
        var since = new Option<string?>("--since") { Description = "Only records since a duration ago (1h) or an ISO 8601 time", HelpName = "when" };
        var principal = new Option<string?>("--principal") { Description = "Only records of this principal, like token:1a2b3c4d5e6f or anonymous", HelpName = "name" };
        var limit = new Option<int>("--limit") { Description = $"At most this many records, 1 to {MaxLimit} (default 100)", HelpName = "n", DefaultValueFactory = _ => 100 };
        var output = GlobalOptions.CreateOutput();
        var command = new Command("audit", "Show the audit log: changes and denied requests, newest first (needs an admin token)") { since, principal, limit, output };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var count = session.ParseResult.GetValue(limit);
            if (count is < 1 or > MaxLimit)
            {
                throw new CliException($"--limit must be from 1 to {MaxLimit}, got {count}", ExitCodes.Usage);
            }

            using var client = session.CreateClient();
            var records = await client.ListAuditAsync(
                SinceOption.Check(session.ParseResult.GetValue(since)), session.ParseResult.GetValue(principal), count, beforeId: null, cancellationToken);
            var format = session.ParseResult.GetValue(output);
            if (format != OutputFormat.Table)
            {
                DataWriter.Write(session.Out, records, format);
                return ExitCodes.Ok;
            }

            if (records.Count == 0)
            {
                session.Console.WriteLine("no audit records match");
                return ExitCodes.Ok;
            }

            var table = new Table().NoBorder().AddColumns("TIME", "PRINCIPAL", "ROLE", "ACTION", "TARGET", "STATUS", "OUTCOME", "SOURCE");
            foreach (var record in records)
            {
                table.AddRow(
                    new Text(record.Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "Z"),
                    new Text(record.Principal),
                    new Text(record.Role ?? "-"),
                    new Text(record.Verb is { } verb ? $"{verb} ({record.Action})" : record.Action),
                    new Text(record.Target ?? "-"),
                    new Text(record.Status.ToString(CultureInfo.InvariantCulture)),
                    new Markup(OutcomeMarkup(record.Outcome)),
                    new Text(record.Source ?? "-"));
            }

            session.OutConsole.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string OutcomeMarkup(string outcome) => outcome switch
    {
        "denied" => "[red]denied[/]",
        "failed" => "[yellow]failed[/]",
        _ => Markup.Escape(outcome),
    };
}
