using System.CommandLine;
using System.Text;
using Berth.Client.Errors;
using Spectre.Console;

namespace Berth.Cli.Commands.Export;

/// <summary>
/// <c>berth export NAME|KIND/NAME… | --all [-o FILE] [--format yaml|json]</c>: writes specs as documents <c>berth apply -f</c>
/// takes back unchanged.
/// </summary>
internal static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var names = new Argument<string[]>("name")
        {
            Description = "An agent's NAME, or KIND/NAME for a workflow, topic, subscription or model endpoint (workflow/nightly, modelendpoint/openai)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var all = new Option<bool>("--all") { Description = "Every model endpoint, topic, agent, subscription and workflow, in the order apply applies them" };
        var file = new Option<string?>("--output", "-o") { Description = "Write to FILE instead of standard output", HelpName = "file" };
        var format = new Option<string?>("--format")
        {
            Description = "yaml or json (default: json for a FILE ending in .json, else yaml)",
            HelpName = "format",
        };
        format.AcceptOnlyFromAmong("yaml", "json");
        var command = new Command("export", "Write specs that 'berth apply -f' takes back unchanged (secret references, never secret values)")
        {
            names, all, file, format,
        };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var given = session.ParseResult.GetValue(names) ?? [];
            var everything = session.ParseResult.GetValue(all);
            if (given.Length > 0 == everything)
            {
                throw new CliException(everything ? "pass names or --all, not both" : "pass an agent's NAME, KIND/NAME, or --all", ExitCodes.Usage);
            }

            var targets = given.Select(ExportTarget.Parse).Distinct().ToList();
            var path = session.ParseResult.GetValue(file) is { Length: > 0 } name ? Path.GetFullPath(name, session.Context.CurrentDirectory) : null;
            var json = session.ParseResult.GetValue(format) is { } chosen
                ? chosen == "json"
                : path is not null && path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

            using var client = session.CreateClient();
            var documents = everything ? await SpecExport.FetchAllAsync(client, cancellationToken) : await FetchAsync(client, targets, cancellationToken);
            var text = SpecExport.Render(documents, json);
            if (path is null)
            {
                session.Out.Write(text);
            }
            else
            {
                Write(path, text);
                session.Console.WriteLine($"wrote {documents.Count} spec{(documents.Count == 1 ? "" : "s")} to {path}");
            }

            if (documents.Count == 0)
            {
                session.Console.WriteLine("nothing to export: the server has no model endpoints, topics, agents, subscriptions or workflows");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<List<System.Text.Json.Nodes.JsonObject>> FetchAsync(
        Berth.Client.BerthClient client, IReadOnlyList<ExportTarget> targets, CancellationToken cancellationToken)
    {
        var documents = new List<System.Text.Json.Nodes.JsonObject>();
        foreach (var target in targets)
        {
            try
            {
                documents.Add(await SpecExport.FetchAsync(client, target, cancellationToken));
            }
            catch (BerthApiException exception) when (exception.IsNotFound)
            {
                throw new CliException($"{target} not found: {exception.Detail ?? "the server has no such resource"}", ExitCodes.NotFound);
            }
        }

        return documents;
    }

    private static void Write(string path, string text)
    {
        try
        {
            File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot write {path}: {exception.Message}", ExitCodes.Failure);
        }
    }
}
