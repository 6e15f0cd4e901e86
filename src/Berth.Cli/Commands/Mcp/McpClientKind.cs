namespace Berth.Cli.Commands.Mcp;

/// <summary>Which MCP client a configuration snippet is for.</summary>
internal enum McpClientKind
{
    /// <summary>Claude Desktop (<c>claude_desktop_config.json</c>) and Claude Code (<c>.mcp.json</c>).</summary>
    Claude,

    /// <summary>VS Code (<c>.vscode/mcp.json</c> or the user profile's <c>mcp.json</c>).</summary>
    VsCode,
}
