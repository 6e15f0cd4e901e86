using System.Text.Json.Nodes;
using Berth.Core.Plugins;

namespace Berth.Server.Mcp.Tools;

/// <summary>An installed plugin as <c>list_plugins</c> shows it: its versions, and what its newest version says of itself and takes.</summary>
internal sealed record PluginToolSummary(
    string Id,
    IReadOnlyList<string> Versions,
    string? Verb,
    string? Description,
    IReadOnlyList<string> Capabilities,
    IReadOnlyList<string> Tags,
    JsonObject? Inputs,
    JsonObject? Outputs,
    bool Deterministic)
{
    /// <summary>The summary of a plugin's versions, newest first.</summary>
    public static PluginToolSummary Of(IReadOnlyList<PluginRecord> newestFirst)
    {
        ArgumentNullException.ThrowIfNull(newestFirst);
        var spec = newestFirst[0].Spec;
        return new PluginToolSummary(
            newestFirst[0].Id,
            [.. newestFirst.Select(p => p.Version)],
            spec.Verb,
            spec.Description,
            [.. spec.Capabilities.Select(c => c.Name)],
            spec.Tags,
            spec.Inputs?.DeepClone().AsObject(),
            spec.Outputs?.DeepClone().AsObject(),
            spec.Deterministic);
    }
}

/// <summary>The answer of <c>list_plugins</c>: structured content must be an object, so the list has a name.</summary>
internal sealed record PluginList(IReadOnlyList<PluginToolSummary> Plugins);
