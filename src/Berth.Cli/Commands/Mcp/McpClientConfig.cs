using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Cli.Commands.Mcp;

/// <summary>
/// The configuration snippets MCP clients read to reach Berth: Claude's <c>mcpServers</c> and VS Code's <c>servers</c>, either
/// starting <c>berth mcp</c> (stdio) or pointing at <c>/mcp</c> (streamable HTTP). A token never appears in them: the stdio
/// form lets <c>berth mcp</c> find it the way every verb does, and the HTTP form names a variable or a prompt that supplies it.
/// </summary>
internal static class McpClientConfig
{
    /// <summary>The name the server is listed under in the client.</summary>
    public const string ServerName = "berth";

    /// <summary>The id of VS Code's password prompt for the token, referenced as <c>${input:berth-token}</c>.</summary>
    public const string TokenInput = "berth-token";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Starts <paramref name="command"/> with <paramref name="args"/>; <c>type: stdio</c> for VS Code.</summary>
    public static string Stdio(McpClientKind client, string command, IReadOnlyList<string> args)
    {
        var server = new JsonObject();
        if (client == McpClientKind.VsCode)
        {
            server["type"] = "stdio";
        }

        server["command"] = command;
        server["args"] = new JsonArray([.. args.Select(a => JsonValue.Create(a))]);
        return Wrap(client, server, inputs: null);
    }

    /// <summary>Streamable HTTP at <paramref name="endpoint"/>, the bearer token from a VS Code prompt or Claude Code's environment.</summary>
    public static string Http(McpClientKind client, Uri endpoint)
    {
        var token = client == McpClientKind.VsCode ? $"${{input:{TokenInput}}}" : $"${{{Auth.Credentials.TokenVariable}}}";
        var server = new JsonObject
        {
            ["type"] = "http",
            ["url"] = endpoint.AbsoluteUri,
            ["headers"] = new JsonObject { ["Authorization"] = $"Bearer {token}" },
        };
        var inputs = client == McpClientKind.VsCode
            ? new JsonArray(new JsonObject
            {
                ["type"] = "promptString",
                ["id"] = TokenInput,
                ["description"] = "Berth token (berth tokens create --role operator, or viewer for read-only tools)",
                ["password"] = true,
            })
            : null;
        return Wrap(client, server, inputs);
    }

    private static string Wrap(McpClientKind client, JsonObject server, JsonArray? inputs)
    {
        var root = new JsonObject();
        if (inputs is not null)
        {
            root["inputs"] = inputs;
        }

        root[client == McpClientKind.VsCode ? "servers" : "mcpServers"] = new JsonObject { [ServerName] = server };
        return root.ToJsonString(Indented);
    }
}
