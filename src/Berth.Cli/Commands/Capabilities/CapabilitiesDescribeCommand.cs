using System.CommandLine;
using System.Globalization;
using Berth.Cli.Output;
using Berth.Client.Contracts;
using Spectre.Console;

namespace Berth.Cli.Commands.Capabilities;

/// <summary><c>berth capabilities describe NAME [-o table|json|yaml]</c>: each provider of one capability with its version, health and breaker.</summary>
internal static class CapabilitiesDescribeCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The capability's name" };
        var output = GlobalOptions.CreateOutput();
        var command = new Command("describe", "Show one capability's providers: kind, version, health, breaker, calls in flight, schemas") { name, output };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            using var client = session.CreateClient();
            var capability = await client.GetCapabilityAsync(session.ParseResult.GetRequiredValue(name), cancellationToken);
            var format = session.ParseResult.GetValue(output);
            if (format != OutputFormat.Table)
            {
                DataWriter.Write(session.Out, capability, format);
                return ExitCodes.Ok;
            }

            Write(session, capability);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Write(CliSession session, CapabilityDetail capability)
    {
        var console = session.OutConsole;
        console.Write(new Text($"Capability: {capability.Name}\n"));
        var table = new Table().NoBorder().AddColumns("PROVIDER", "VERSION", "HEALTH", "STATE", "INSTANCES", "IN FLIGHT", "BREAKER", "SCHEMAS");
        foreach (var provider in capability.Providers)
        {
            table.AddRow(
                new Text(provider.Provider),
                new Text(provider.Version ?? "-"),
                new Text(provider.Health),
                new Text(provider.State ?? "-"),
                new Text(provider.HealthyInstances.ToString(CultureInfo.InvariantCulture)),
                new Text(provider.Outstanding.ToString(CultureInfo.InvariantCulture)),
                new Text(provider.Breaker),
                new Text(Schemas(provider)));
        }

        console.Write(table);
        foreach (var provider in capability.Providers.Where(p => p.Description is not null))
        {
            console.Write(new Text($"\n{provider.Provider}: {provider.Description}"));
        }

        console.WriteLine();
    }

    private static string Schemas(CapabilityProviderView provider) => (provider.Inputs, provider.Outputs) switch
    {
        (null, null) => "-",
        (not null, null) => "inputs",
        (null, not null) => "outputs",
        _ => "inputs, outputs",
    };
}
