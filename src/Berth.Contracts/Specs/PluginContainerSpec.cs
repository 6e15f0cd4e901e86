namespace Berth.Core.Specs;

/// <summary>How a container plugin runs. Exactly one of <see cref="Image"/> and <see cref="Build"/> is set.</summary>
public sealed record PluginContainerSpec
{
    /// <summary>Image to run, like <c>local/text-analysis:1</c>. Null when the plugin is built.</summary>
    public string? Image { get; set; }

    /// <summary>Dockerfile build; a relative context is the plugin's folder. Null unless the plugin is built.</summary>
    public BuildSpec? Build { get; set; }

    /// <summary>Port the plugin listens on inside its container. Default 8000.</summary>
    public int Port { get; set; } = 8000;

    /// <summary>Environment variables; values may hold <c>${secret:NAME}</c> references. Default empty.</summary>
    public IReadOnlyDictionary<string, string> Env { get; set; } = new Dictionary<string, string>();

    /// <summary>Memory and CPU limits per instance. Null: none.</summary>
    public ResourceSpec? Resources { get; set; }

    /// <summary>How instances are probed. Default: <c>GET /health</c> every 10s.</summary>
    public HealthSpec Health { get; set; } = new() { Path = "/health" };
}
