using System.CommandLine;
using Berth.Cli.Output;
using Spectre.Console;

namespace Berth.Cli.Commands;

/// <summary><c>berth requests replay ID</c>: a completed or dead-lettered request goes back to its agent's queue, attempts reset.</summary>
internal static class RequestsReplayCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The request's id" };
        var command = new Command("replay", "Send a completed or dead-lettered request to its agent again (needs an operator token)") { id };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            using var client = session.CreateClient();
            var queued = await client.RequeueRequestAsync(session.ParseResult.GetRequiredValue(id), cancellationToken);
            session.Out.WriteLine($"request/{queued.Id} requeued: {Formats.Name(queued.State)}");
            session.Console.WriteLine($"follow it with 'berth requests show {queued.Id}'");
            return ExitCodes.Ok;
        });
        return command;
    }
}
