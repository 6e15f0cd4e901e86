using System.Text.Json.Nodes;

namespace Berth.Core.Workflows;

/// <summary>
/// A plugin step: one call to an installed plugin, named by id and version range (<c>text-analysis@^1</c>) or by a capability it
/// provides. The plugin's answer becomes the step's <c>outputs</c>. Exactly one of <see cref="Id"/> and <see cref="Capability"/> is set.
/// </summary>
public sealed record PluginStepSpec
{
    /// <summary>The plugin, as <c>id</c>, <c>id@1.2.0</c> or <c>id@^1</c> (the newest installed version in the range). Null when <see cref="Capability"/> is set.</summary>
    public string? Id { get; set; }

    /// <summary>A capability; Berth routes the call to a healthy plugin that provides it. Null when <see cref="Id"/> is set.</summary>
    public string? Capability { get; set; }

    /// <summary>The inputs; string values may hold expressions. Default an empty object.</summary>
    public JsonObject Inputs { get; set; } = [];
}
