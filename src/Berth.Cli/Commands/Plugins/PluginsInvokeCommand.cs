using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Cli.Output;
using Berth.Client.Errors;
using Spectre.Console;

namespace Berth.Cli.Commands.Plugins;

/// <summary>
/// <c>berth plugins invoke ID[@VERSION|@RANGE] [--input KEY=TEXT|KEY:=JSON …] [-f inputs.json] [-o table|json|yaml]</c>: calls
/// a plugin and prints its outputs (a table of them, or the whole answer as JSON or YAML); the version, invocation and
/// duration go to stderr. A failure prints the server's problem and exits as other commands do (3 not installed, 5 inputs
/// refused, 1 the plugin failed or is unavailable), except a call out of time, which exits 6.
/// </summary>
internal static class PluginsInvokeCommand
{
    public static Command Create(CliContext context)
    {
        var plugin = new Argument<string>("plugin") { Description = "ID (the newest version), ID@VERSION, or ID@RANGE like text-analysis@^1" };
        var inputs = new Option<string[]>("--input", "-i") { Description = "One input: KEY=TEXT (a string) or KEY:=JSON (a number, boolean, list or object); repeatable", HelpName = "KEY=VALUE" };
        var file = new Option<string?>("--file", "-f") { Description = "A JSON object of inputs (- for stdin); --input values are set over it", HelpName = "FILE" };
        var output = GlobalOptions.CreateOutput();
        var command = new Command("invoke", "Call a plugin with inputs and print its outputs") { plugin, inputs, file, output };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var given = await PluginInputs.ReadAsync(session, session.ParseResult.GetValue(file), session.ParseResult.GetValue(inputs) ?? [], cancellationToken);
            using var client = session.CreateClient();
            Client.Contracts.PluginInvokeResponse answer;
            try
            {
                answer = await client.InvokePluginAsync(session.ParseResult.GetRequiredValue(plugin), given, cancellationToken);
            }
            catch (BerthApiException exception) when (exception.Status == 504)
            {
                ErrorOutput.WriteProblem(session.Console, exception);
                return ExitCodes.Timeout;
            }

            session.Console.MarkupLineInterpolated(
                $"[grey]{answer.Plugin}@{answer.Version}: invocation {answer.InvocationId}, {answer.DurationMs.ToString("0.#", CultureInfo.InvariantCulture)} ms, {answer.Attempts} attempt(s)[/]");
            var format = session.ParseResult.GetValue(output);
            if (format != OutputFormat.Table)
            {
                DataWriter.Write(session.Out, answer, format);
                return ExitCodes.Ok;
            }

            var table = new Table().NoBorder().AddColumns("OUTPUT", "VALUE");
            foreach (var (key, value) in answer.Outputs)
            {
                table.AddRow(new Text(key), new Text(Show(value)));
            }

            session.OutConsole.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Show(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue text when text.TryGetValue<string>(out var plain) => plain,
        _ => value.ToJsonString(),
    };
}
