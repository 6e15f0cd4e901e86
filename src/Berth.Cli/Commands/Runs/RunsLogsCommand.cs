using System.CommandLine;

namespace Berth.Cli.Commands.Runs;

/// <summary><c>berth runs logs ID [--step S] [-f]</c>: the log lines of a run's steps, each prefixed with its step id.</summary>
internal static class RunsLogsCommand
{
    private const string LogEvent = "step.log";

    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The run's id" };
        var step = new Option<string?>("--step") { Description = "Only this step's lines", HelpName = "step" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines until the run ends (Ctrl+C stops following, not the run)" };
        var command = new Command("logs", "Print the log lines of a run's steps") { id, step, follow };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var only = session.ParseResult.GetValue(step);
            var following = session.ParseResult.GetValue(follow);
            using var client = session.CreateClient();
            try
            {
                var events = client.StreamRunEventsAsync(session.ParseResult.GetRequiredValue(id), after: 0, follow: following, cancellationToken);
                await foreach (var runEvent in events)
                {
                    if (runEvent.Type != LogEvent || (only is not null && runEvent.StepId != only))
                    {
                        continue;
                    }

                    await session.Out.WriteLineAsync($"{runEvent.StepId} | {runEvent.Message}".AsMemory(), cancellationToken);
                    await session.Out.FlushAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException) when (following && cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C is how a follow ends early; it is not a failure.
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
