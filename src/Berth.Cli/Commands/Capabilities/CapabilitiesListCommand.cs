using System.CommandLine;
using System.Globalization;
using Berth.Cli.Output;
using Berth.Client.Contracts;
using Spectre.Console;

namespace Berth.Cli.Commands.Capabilities;

/// <summary><c>berth capabilities ls [-o table|json|yaml]</c>: every declared capability with its versions and provider counts.</summary>
internal static class CapabilitiesListCommand
{
    public static Command Create(CliContext context)
    {
        var output = GlobalOptions.CreateOutput();
        var command = new Command("ls", "List capabilities: versions, providers, and how many can take a call now") { output };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            using var client = session.CreateClient();
            var capabilities = await client.ListCapabilitiesAsync(cancellationToken);
            var format = session.ParseResult.GetValue(output);
            if (format != OutputFormat.Table)
            {
                DataWriter.Write(session.Out, capabilities, format);
                return ExitCodes.Ok;
            }

            if (capabilities.Count == 0)
            {
                session.Console.WriteLine("no capabilities; declare them in an agent's or plugin's spec (capabilities: [summarize])");
                return ExitCodes.Ok;
            }

            session.OutConsole.Write(Table(capabilities));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Table Table(IReadOnlyList<CapabilityView> capabilities)
    {
        var table = new Table().NoBorder().AddColumns("NAME", "VERSIONS", "PROVIDERS", "HEALTHY");
        foreach (var capability in capabilities)
        {
            table.AddRow(
                new Text(capability.Name),
                new Text(capability.Versions.Count == 0 ? "-" : string.Join(", ", capability.Versions)),
                new Text(capability.Providers.ToString(CultureInfo.InvariantCulture)),
                new Text(capability.Healthy.ToString(CultureInfo.InvariantCulture)));
        }

        return table;
    }
}
