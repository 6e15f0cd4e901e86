using System.Text.Json.Nodes;

namespace Berth.Core.Workflows.Runs;

/// <summary>
/// What a finished step exposes to later steps' expressions: a container step <c>stdout</c>, <c>exitCode</c> and
/// <c>files['/abs/path']</c>; an agent step <c>status</c> and <c>body</c>; a plugin step <c>status</c> and <c>outputs</c> (the
/// plugin's outputs, <see cref="PluginOutputs"/>); a child workflow step <c>outputs</c> (its steps' outputs by step id); a
/// <c>forEach</c> step <c>items</c> (one of these per item, in order).
/// </summary>
public sealed record StepOutputs
{
    /// <summary>A container's standard output, trailing whitespace trimmed.</summary>
    public string? Stdout { get; init; }

    /// <summary>A container's exit code.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Each output file: absolute path → its content's address in the artifact store.</summary>
    public IReadOnlyDictionary<string, ArtifactRef> Files { get; init; } = new Dictionary<string, ArtifactRef>();

    /// <summary>An agent's HTTP status; 200 for a plugin step that succeeded.</summary>
    public int? Status { get; init; }

    /// <summary>An agent's answer: its JSON, or a JSON string holding the text when it was not JSON.</summary>
    public JsonNode? Body { get; init; }

    /// <summary>
    /// Which provider served an agent step that asked for a capability (<c>agent:NAME</c>) or any plugin step
    /// (<c>plugin:ID@VERSION</c>); null for every other step. Shown in the run view; not an expression field.
    /// </summary>
    public string? Provider { get; init; }

    /// <summary>
    /// A plugin step's outputs, as the plugin answered them (checked against its output schema). Expressions read them as
    /// <c>steps.ID.outputs.NAME</c>; null for every other step.
    /// </summary>
    public JsonObject? PluginOutputs { get; init; }

    /// <summary>A child workflow's step outputs by step id.</summary>
    public IReadOnlyDictionary<string, StepOutputs>? Outputs { get; init; }

    /// <summary>A <c>forEach</c> step's outputs, one per item in the list's order.</summary>
    public IReadOnlyList<StepOutputs>? Items { get; init; }
}
