using System.CommandLine;
using Berth.Cli.Commands.Export;
using Berth.Core.Specs;
using Spectre.Console;

namespace Berth.Cli.Commands.Llm;

/// <summary>
/// <c>berth model-endpoints get NAME [-o yaml|json]</c>: one endpoint as the <c>kind: ModelEndpoint</c> document <c>berth apply -f</c>
/// takes back (what <c>berth export modelendpoint/NAME</c> writes), and on stderr the base URL a provider's SDK is given.
/// </summary>
internal static class ModelEndpointsGetCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The model endpoint's name" };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Output format: yaml or json (the kind: ModelEndpoint document either way)",
            HelpName = "format",
            DefaultValueFactory = _ => "yaml",
        };
        output.AcceptOnlyFromAmong("yaml", "json");
        var command = new Command("get", "Show one model endpoint as the document 'berth apply -f' takes back") { name, output };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            using var client = session.CreateClient();
            var endpoint = await client.GetModelEndpointAsync(session.ParseResult.GetRequiredValue(name), cancellationToken);
            session.Out.Write(SpecExport.Render([SpecDocuments.ToDocument(endpoint.Spec)], json: session.ParseResult.GetValue(output) == "json"));
            session.Console.WriteLine($"SDK base URL: {new Uri(client.BaseAddress, endpoint.BasePath.TrimStart('/'))} (with a Berth token as the API key)");
            return ExitCodes.Ok;
        });
        return command;
    }
}
