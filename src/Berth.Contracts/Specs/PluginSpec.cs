using System.Text.Json.Nodes;
using Berth.Core.Workflows;

namespace Berth.Core.Specs;

/// <summary>
/// A plugin: a tool with a small HTTP contract (<c>POST /execute</c>, <c>GET /health</c>, <c>GET /metrics</c>) run from an image, a
/// Dockerfile or a local command, in a warm pool of instances. Installed versions live side by side (<c>id@1.2.0</c>).
/// </summary>
/// <remarks>Exactly one of <see cref="Container"/> and <see cref="Process"/> is set, matching <see cref="Runtime"/>.</remarks>
public sealed record PluginSpec
{
    /// <summary>The plugin's id (<c>metadata.name</c>), a DNS label.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The version, semver like <c>1.2.0</c>. Required.</summary>
    public string Version { get; set; } = string.Empty;

    /// <summary>What the plugin does, as a verb (<c>ANALYZE_TEXT</c>). Null: not said.</summary>
    public string? Verb { get; set; }

    /// <summary>What the plugin does, in a sentence or two. Null: not said.</summary>
    public string? Description { get; set; }

    /// <summary>JSON Schema (2020-12) of the inputs; checked before every call. Null: any JSON object.</summary>
    public JsonObject? Inputs { get; set; }

    /// <summary>JSON Schema (2020-12) of the outputs; checked after every call. Null: any JSON object.</summary>
    public JsonObject? Outputs { get; set; }

    /// <summary>How instances run. Default <see cref="PluginRuntime.Container"/>.</summary>
    public PluginRuntime Runtime { get; set; } = PluginRuntime.Container;

    /// <summary>Set for a container plugin.</summary>
    public PluginContainerSpec? Container { get; set; }

    /// <summary>Set for a process plugin, which runs in its installed folder.</summary>
    public PluginProcessSpec? Process { get; set; }

    /// <summary>Where and how the plugin is called. Default <c>POST /execute</c> with a 30s timeout.</summary>
    public PluginApiSpec Api { get; set; } = new();

    /// <summary>Capabilities the plugin provides, for capability routing. Default empty.</summary>
    public IReadOnlyList<DeclaredCapability> Capabilities { get; set; } = [];

    /// <summary>Free labels for finding the plugin. Default empty.</summary>
    public IReadOnlyList<string> Tags { get; set; } = [];

    /// <summary>Calls the contract check makes at install; each example's outputs, when given, must match. Default empty.</summary>
    public IReadOnlyList<PluginExample> Examples { get; set; } = [];

    /// <summary>How many instances run and how many calls each takes. Default: none warm, up to 4, stopped after 5m idle, one call each.</summary>
    public PluginPoolSpec Pool { get; set; } = new();

    /// <summary>How failed calls are retried. Null: 3 attempts on transient failures and timeouts, backoff from 200ms.</summary>
    public StepRetrySpec? Retry { get; set; }

    /// <summary>Whether the same inputs always give the same outputs; a deterministic plugin's workflow steps are cached. Default false.</summary>
    public bool Deterministic { get; set; }
}
