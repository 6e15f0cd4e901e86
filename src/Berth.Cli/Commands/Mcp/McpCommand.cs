using System.CommandLine;

namespace Berth.Cli.Commands.Mcp;

/// <summary><c>berth mcp</c>: speaks MCP on stdin/stdout for desktop clients, relayed to the server; <c>berth mcp config</c> prints their configuration.</summary>
internal static class McpCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("mcp", "Speak MCP on stdin/stdout for an AI client (Claude, VS Code), relayed to the server's /mcp with this CLI's token")
        {
            McpConfigCommand.Create(context),
        };
        command.SetBody(context, async (session, cancellationToken) =>
        {
            using var relay = new McpRelay(session, context.In, context.Out, session.Console);
            return await relay.RunAsync(cancellationToken);
        });
        return command;
    }
}
