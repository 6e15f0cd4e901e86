using System.CommandLine;
using System.Globalization;
using Berth.Cli.Output;
using Berth.Core.Plugins;
using Spectre.Console;

namespace Berth.Cli.Commands.Plugins;

/// <summary><c>berth plugins invocations ID [--limit N] [-o table|json|yaml]</c>: a plugin's recorded calls, newest first.</summary>
internal static class PluginsInvocationsCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The plugin's id (every version's calls are listed)" };
        var limit = new Option<int?>("--limit", "-n") { Description = "Most calls to list, 1 to 1000 (default 50)", HelpName = "N" };
        var output = GlobalOptions.CreateOutput();
        var command = new Command("invocations", "List a plugin's recorded calls, newest first: caller, outcome, duration, error") { id, limit, output };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var count = session.ParseResult.GetValue(limit);
            if (count is < 1 or > 1000)
            {
                throw new CliException($"--limit must be from 1 to 1000, got {count}", ExitCodes.Usage);
            }

            using var client = session.CreateClient();
            var invocations = await client.ListPluginInvocationsAsync(session.ParseResult.GetRequiredValue(id), count, cancellationToken);
            var format = session.ParseResult.GetValue(output);
            if (format != OutputFormat.Table)
            {
                DataWriter.Write(session.Out, invocations, format);
                return ExitCodes.Ok;
            }

            if (invocations.Count == 0)
            {
                session.Console.WriteLine("no calls recorded yet; call it with 'berth plugins invoke ID --input KEY=VALUE'");
                return ExitCodes.Ok;
            }

            var table = new Table().NoBorder().AddColumns("STARTED", "VERSION", "CALLER", "OUTCOME", "DURATION", "ERROR", "INVOCATION");
            foreach (var call in invocations)
            {
                table.AddRow(
                    new Text(call.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
                    new Text(call.Version),
                    new Text(call.RunId is null ? call.Caller : $"{call.Caller} ({call.RunId}/{call.StepId})"),
                    new Text(call.Outcome == PluginOutcome.Succeeded ? "succeeded" : "failed"),
                    new Text(call.DurationMs.ToString("0.#", CultureInfo.InvariantCulture) + " ms"),
                    new Text(call.ErrorClass is null ? "-" : $"{call.ErrorClass}: {call.Message}"),
                    new Text(call.Id));
            }

            session.OutConsole.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }
}
