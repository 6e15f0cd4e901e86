namespace Berth.Testing;

/// <summary>
/// <c>tests/a2a-js</c>: the official A2A JavaScript SDK (<c>@a2a-js/sdk</c>) and Express, installed from npm by
/// <c>scripts/test.sh</c> (<c>npm ci</c> there), with a client script the A2A tests run (<c>client.mjs</c>).
/// </summary>
public static class A2aJs
{
    /// <summary>The folder, <c>tests/a2a-js</c>.</summary>
    public static string Directory { get; } = Path.Combine(Repository.Root, "tests", "a2a-js");

    /// <summary>The installed packages; fails with what to run when they are missing.</summary>
    public static string Modules
    {
        get
        {
            var modules = Path.Combine(Directory, "node_modules");
            return System.IO.Directory.Exists(Path.Combine(modules, "@a2a-js", "sdk"))
                ? modules
                : throw new InvalidOperationException($"{modules} has no @a2a-js/sdk: run 'npm ci' in {Directory} (scripts/test.sh does).");
        }
    }

    /// <summary>A Node the SDK runs on (it needs 20 or later): /usr/bin/node, else the Node 22 of tests/mcp-js.</summary>
    public static string Node => File.Exists("/usr/bin/node") ? "/usr/bin/node" : McpJs.Node;
}
