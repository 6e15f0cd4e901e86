using System.CommandLine;
using Berth.Cli.Auth;
using Spectre.Console;

namespace Berth.Cli.Commands;

/// <summary><c>berth login --server URL --token TOKEN</c>: checks the token against the server, then saves both for later commands.</summary>
internal static class LoginCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("login", "Check a token against a server and save both in ~/.config/berth/context.json (readable by you only)");
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var credentials = session.Credentials;
            if (credentials.TokenSource is not ("--token" or Credentials.TokenVariable))
            {
                throw new CliException($"pass the token to save: berth login --server URL --token TOKEN (or set {Credentials.TokenVariable})", ExitCodes.Usage);
            }

            // Any route that needs a principal proves the token; /readyz is open to every role.
            using (var client = session.CreateClient())
            {
                await client.GetServerInfoAsync(cancellationToken);
            }

            var server = credentials.Server.GetLeftPart(UriPartial.Authority);
            var path = new CliContextFile(server, credentials.Token!).Save(session.Context);
            session.Console.MarkupLineInterpolated($"[green]logged in to {server}[/]; saved the server and token to {path} (readable by you only)");
            return ExitCodes.Ok;
        });
        return command;
    }
}
