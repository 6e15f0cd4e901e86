namespace Berth.Core.Specs;

/// <summary>
/// Declares that an agent serves MCP over streamable HTTP, so Berth's gateway (<c>/mcp/gateway</c>) lists and calls its tools.
/// </summary>
public sealed record McpSpec
{
    /// <summary>The HTTP path the agent serves MCP at, starting with '/'. Default <c>/mcp</c>.</summary>
    public string Path { get; set; } = "/mcp";
}
