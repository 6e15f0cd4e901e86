using System.CommandLine;
using Berth.Cli.Output;

namespace Berth.Cli.Commands.Runs;

/// <summary><c>berth runs cancel ID</c>: stops a run's running steps and starts no more.</summary>
internal static class RunsCancelCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The run's id" };
        var command = new Command("cancel", "Cancel a run: running steps are stopped, the rest never start") { id };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            using var client = session.CreateClient();
            var run = await client.CancelRunAsync(session.ParseResult.GetRequiredValue(id), cancellationToken);
            session.Out.WriteLine($"run/{run.Id} {Formats.Name(run.State)}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
