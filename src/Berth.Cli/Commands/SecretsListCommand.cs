using System.CommandLine;
using Berth.Cli.Output;
using Spectre.Console;

namespace Berth.Cli.Commands;

/// <summary><c>berth secrets ls [-o json|yaml]</c>: names and dates only; values never leave the server.</summary>
internal static class SecretsListCommand
{
    public static Command Create(CliContext context)
    {
        var output = GlobalOptions.CreateOutput();
        var command = new Command("ls", "List secrets (names and dates, never values)") { output };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            using var client = session.CreateClient();
            var secrets = await client.ListSecretsAsync(cancellationToken);
            var format = session.ParseResult.GetValue(output);
            if (format != OutputFormat.Table)
            {
                DataWriter.Write(session.Out, secrets, format);
                return ExitCodes.Ok;
            }

            if (secrets.Count == 0)
            {
                session.Console.WriteLine("no secrets; create one with 'berth secrets set NAME'");
                return ExitCodes.Ok;
            }

            var now = session.Context.Time.GetUtcNow();
            var table = new Table().NoBorder().AddColumns("NAME", "CREATED", "UPDATED");
            foreach (var secret in secrets)
            {
                table.AddRow(new Text(secret.Name), new Text(Formats.Age(secret.CreatedAt, now)), new Text(Formats.Age(secret.UpdatedAt, now)));
            }

            session.OutConsole.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }
}
