using System.CommandLine;
using Berth.Client;
using Spectre.Console;

namespace Berth.Cli.Commands.Mcp;

/// <summary>
/// <c>berth mcp config [--client claude|vscode] [--http]</c>: prints the snippet that adds Berth to an MCP client's
/// configuration (JSON on stdout, where to put it and where the token comes from on stderr). Never prints a token.
/// </summary>
internal static class McpConfigCommand
{
    public static Command Create(CliContext context)
    {
        var client = new Option<string>("--client")
        {
            Description = "The MCP client: claude (Claude Desktop's claude_desktop_config.json; with --http Claude Code's .mcp.json) or vscode (.vscode/mcp.json)",
            HelpName = "client",
            DefaultValueFactory = _ => "claude",
        };
        client.AcceptOnlyFromAmong("claude", "vscode");
        var http = new Option<bool>("--http") { Description = "Connect the client to the server's /mcp over streamable HTTP instead of starting 'berth mcp'" };
        var command = new Command("config", "Print the configuration that adds Berth to Claude or VS Code") { client, http };
        command.SetBody(context, (session, _) =>
        {
            var kind = session.ParseResult.GetValue(client) == "vscode" ? McpClientKind.VsCode : McpClientKind.Claude;
            if (session.ParseResult.GetValue(http))
            {
                session.Out.WriteLine(McpClientConfig.Http(kind, new Uri(session.ServerAddress.AbsoluteUri.TrimEnd('/') + "/mcp")));
                WriteHttpNotes(session, kind);
            }
            else
            {
                session.Out.WriteLine(McpClientConfig.Stdio(kind, Executable(context), Arguments(session)));
                WriteStdioNotes(session, kind);
            }

            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    /// <summary>The absolute path of this berth (the native binary, or the app host beside berth.dll in a build).</summary>
    private static string Executable(CliContext context)
    {
        var beside = Path.Combine(context.InstallDirectory, OperatingSystem.IsWindows() ? "berth.exe" : "berth");
        return File.Exists(beside) ? Path.GetFullPath(beside) : Environment.ProcessPath ?? "berth";
    }

    /// <summary><c>mcp</c>, plus the server and CA this invocation was given, so the client's berth talks to the same server.</summary>
    private static List<string> Arguments(CliSession session)
    {
        var args = new List<string> { "mcp" };
        if (!string.Equals(session.ServerAddress.AbsoluteUri, BerthClient.DefaultAddress.AbsoluteUri, StringComparison.OrdinalIgnoreCase))
        {
            args.AddRange(["--server", session.ServerAddress.GetLeftPart(UriPartial.Path).TrimEnd('/')]);
        }

        if (session.CaCertificatePath is { } ca)
        {
            args.AddRange(["--ca-cert", ca]);
        }

        return args;
    }

    private static void WriteStdioNotes(CliSession session, McpClientKind kind)
    {
        var console = session.Console;
        console.WriteLine(kind == McpClientKind.VsCode
            ? "Put this in .vscode/mcp.json (or run 'MCP: Open User Configuration' in VS Code), then start the server from that file."
            : "Put this in claude_desktop_config.json (Claude: Settings > Developer > Edit Config) and restart Claude.");
        var credentials = session.Credentials;
        console.WriteLine(credentials switch
        {
            { Token: null } =>
                $"No token found for {credentials.Server.GetLeftPart(UriPartial.Authority)}: add \"env\": {{\"{Auth.Credentials.TokenVariable}\": \"...\"}} to the entry, or run 'berth login' as the user the client runs as.",
            { IsLocalAdminToken: true } =>
                $"berth mcp sends the local admin token ({credentials.TokenSource}), once the server proves it wrote it; for fewer rights add \"env\": {{\"{Auth.Credentials.TokenVariable}\": \"...\"}} with an operator or viewer token.",
            _ => $"berth mcp sends the token from {credentials.TokenSource} when the client starts it (the token is not part of this snippet).",
        });
    }

    private static void WriteHttpNotes(CliSession session, McpClientKind kind)
    {
        var console = session.Console;
        if (kind == McpClientKind.VsCode)
        {
            console.WriteLine($"Put this in .vscode/mcp.json; VS Code asks for the token once ('{McpClientConfig.TokenInput}') and keeps it. Create one with 'berth tokens create'.");
        }
        else
        {
            console.WriteLine($"This is Claude Code's .mcp.json form: it reads the token from ${Auth.Credentials.TokenVariable} in its environment. " +
                "Claude Desktop's config file starts local servers only: use 'berth mcp config' (stdio) there.");
        }

        console.WriteLine("The server must answer on that address to the client; a name other than localhost must be listed in Berth:Mcp:AllowedHosts.");
    }
}
