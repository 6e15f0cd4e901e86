using Berth.Core.Specs;
using Berth.Server.Tests.Mcp;
using Berth.Testing;

namespace Berth.Server.Tests.A2a;

/// <summary>
/// <c>tests/agents/a2a-agent</c> (an A2A echo agent on the official A2A JavaScript SDK from <c>tests/a2a-js</c>) as a process
/// agent. Process agents run under uids of their own, which may not traverse the repository's parents: the script and the
/// SDK are copied once per test run into a world-readable folder (A2A_JS_MODULES tells the script where the SDK is).
/// </summary>
internal static class A2aAgents
{
    private static readonly Lazy<(string Script, string Modules)> Copied = new(Copy);

    /// <summary>An agent spec that runs the A2A agent with <c>a2a: {}</c> (or the given card path), a 1s health probe and a quick restart.</summary>
    public static AgentSpec Spec(string name, string? cardPath = null) => new()
    {
        Name = name,
        Process = new ProcessSpec { Command = A2aJs.Node, Args = [Copied.Value.Script] },
        Env = new Dictionary<string, string> { ["A2A_JS_MODULES"] = Copied.Value.Modules },
        Health = new HealthSpec { Path = "/health", Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(1) },
        Restart = new RestartSpec { MaxBackoff = TimeSpan.FromSeconds(1) },
        A2a = cardPath is null ? new A2aSpec() : new A2aSpec { Card = cardPath },
    };

    private static (string Script, string Modules) Copy()
    {
        var root = Path.Combine(Path.GetTempPath(), $"berth-server-tests-a2a-agent-{Environment.ProcessId}");
        var script = Path.Combine(root, "agents", "a2a-agent", "server.mjs");
        var modules = Path.Combine(root, "a2a-js", "node_modules");
        Directory.CreateDirectory(Path.GetDirectoryName(script)!);
        File.Copy(Path.Combine(Repository.Root, "tests", "agents", "a2a-agent", "server.mjs"), script, overwrite: true);
        GatewayAgents.CopyTree(A2aJs.Modules, modules);
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Append(root))
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.OtherRead | UnixFileMode.GroupRead |
                (Directory.Exists(path) ? UnixFileMode.OtherExecute | UnixFileMode.GroupExecute : 0));
        }

        return (script, modules);
    }
}
