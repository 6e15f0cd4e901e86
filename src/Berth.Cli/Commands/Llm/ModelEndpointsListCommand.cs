using System.CommandLine;
using Berth.Cli.Output;
using Berth.Core.Llm;
using Spectre.Console;

namespace Berth.Cli.Commands.Llm;

/// <summary><c>berth model-endpoints ls [-o table|json|yaml]</c>: every model endpoint with its provider, models and fallbacks.</summary>
internal static class ModelEndpointsListCommand
{
    public static Command Create(CliContext context)
    {
        var output = GlobalOptions.CreateOutput();
        var command = new Command("ls", "List model endpoints") { output };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            using var client = session.CreateClient();
            var endpoints = await client.ListModelEndpointsAsync(cancellationToken);
            var format = session.ParseResult.GetValue(output);
            if (format != OutputFormat.Table)
            {
                DataWriter.Write(session.Out, endpoints, format);
                return ExitCodes.Ok;
            }

            if (endpoints.Count == 0)
            {
                session.Console.WriteLine("no model endpoints; apply a kind: ModelEndpoint document with 'berth apply -f FILE'");
                return ExitCodes.Ok;
            }

            var table = new Table().NoBorder().AddColumns("NAME", "PROVIDER", "BASE URL", "MODELS", "FALLBACKS");
            foreach (var endpoint in endpoints.OrderBy(e => e.Name, StringComparer.Ordinal))
            {
                var spec = endpoint.Spec;
                table.AddRow(
                    new Text(endpoint.Name),
                    new Text(spec.Provider.WireName()),
                    new Text(spec.BaseUrl),
                    new Text(string.Join(", ", spec.Models.Select(Model))),
                    new Text(spec.Fallbacks.Count == 0 ? "-" : string.Join(", ", spec.Fallbacks)));
            }

            session.OutConsole.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Model(ModelEntry model) => model.Alias is { } alias ? $"{model.Name} ({alias})" : model.Name;
}
