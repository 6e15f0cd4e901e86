namespace Berth.Core.Specs;

/// <summary>
/// How a process plugin runs: a program started in the plugin's installed folder, given its port in <c>PORT</c>.
/// <c>$(PORT)</c> in <see cref="Args"/> becomes that port.
/// </summary>
public sealed record PluginProcessSpec
{
    /// <summary>Executable: an absolute path, a name found on PATH, or a path relative to the plugin's folder. Required.</summary>
    public string Command { get; set; } = string.Empty;

    /// <summary>Arguments, like <c>["server.py"]</c>. Default empty.</summary>
    public IReadOnlyList<string> Args { get; set; } = [];

    /// <summary>Environment variables; values may hold <c>${secret:NAME}</c> references. Default empty.</summary>
    public IReadOnlyDictionary<string, string> Env { get; set; } = new Dictionary<string, string>();

    /// <summary>How instances are probed. Default: <c>GET /health</c> every 10s.</summary>
    public HealthSpec Health { get; set; } = new() { Path = "/health" };
}
