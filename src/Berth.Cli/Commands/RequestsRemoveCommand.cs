using System.CommandLine;

namespace Berth.Cli.Commands;

/// <summary><c>berth requests rm ID</c>: deletes a completed or dead-lettered request, which acknowledges a dead letter.</summary>
internal static class RequestsRemoveCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The request's id" };
        var command = new Command("rm", "Delete a completed or dead-lettered request (acknowledges a dead letter; needs an operator token)") { id };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            var requestId = session.ParseResult.GetRequiredValue(id);
            using var client = session.CreateClient();
            await client.DeleteRequestAsync(requestId, cancellationToken);
            session.Out.WriteLine($"request/{requestId} deleted");
            return ExitCodes.Ok;
        });
        return command;
    }
}
