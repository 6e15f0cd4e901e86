using System.CommandLine;
using Berth.Client;
using Berth.Client.Contracts;
using Spectre.Console;

namespace Berth.Cli.Commands;

/// <summary>Shared shape of <c>berth start|stop|restart NAME...|--all</c>.</summary>
internal static class LifecycleCommand
{
    public static Command Create(
        CliContext context, string verb, string description, string pastTense,
        Func<BerthClient, string, CancellationToken, Task<AgentView>> action)
    {
        var selection = new AgentSelection();
        var command = new Command(verb, description);
        selection.AddTo(command);
        command.SetBody(context, async (session, cancellationToken) =>
        {
            selection.Check(session);
            using var client = session.CreateClient();
            var names = await selection.ResolveAsync(session, client, cancellationToken);
            if (names.Count == 0)
            {
                session.Console.WriteLine("no agents");
            }

            foreach (var name in names)
            {
                await action(client, name, cancellationToken);
                session.Out.WriteLine($"agent/{name} {pastTense}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
