using System.CommandLine;
using Berth.Cli.Output;
using Berth.Core.Requests;
using Spectre.Console;

namespace Berth.Cli.Commands;

/// <summary><c>berth requests purge AGENT --state completed|dead-lettered [--yes]</c>: deletes all of one agent's finished requests in that state.</summary>
internal static class RequestsPurgeCommand
{
    private static readonly RequestState[] Purgeable = [RequestState.Completed, RequestState.DeadLettered];

    public static Command Create(CliContext context)
    {
        var agent = new Argument<string>("agent") { Description = "The agent whose requests to delete" };
        var state = new Option<string>("--state") { Description = "Which requests: completed or dead-lettered", HelpName = "state", Required = true };
        var yes = new Option<bool>("--yes", "-y") { Description = "Delete without asking for confirmation" };
        var command = new Command("purge", "Delete all of an agent's completed or dead-lettered requests (needs an operator token)") { agent, state, yes };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var agentName = session.ParseResult.GetRequiredValue(agent);
            var wanted = RequestsStates.Parse(session.ParseResult.GetRequiredValue(state), "--state", Purgeable);
            var what = $"{Formats.Name(wanted)} requests of agent {agentName}";
            var confirmed = session.ParseResult.GetValue(yes);
            if (!confirmed && !session.CanPrompt)
            {
                throw new CliException("purging requests needs confirmation and no prompt can be shown here: pass --yes", ExitCodes.Usage);
            }

            if (!confirmed && !await new ConfirmationPrompt(Markup.Escape($"Delete all {what}?")) { DefaultValue = false }.ShowAsync(session.Console, cancellationToken))
            {
                session.Console.WriteLine("nothing deleted");
                return ExitCodes.Failure;
            }

            using var client = session.CreateClient();
            var deleted = await client.PurgeRequestsAsync(agentName, wanted, cancellationToken);
            session.Out.WriteLine($"{deleted} {what} deleted");
            return ExitCodes.Ok;
        });
        return command;
    }
}
