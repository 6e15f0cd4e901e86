using System.Text.Json.Nodes;

namespace Berth.Core.Workflows;

/// <summary>One input of a workflow: its type, whether a run must give it, and its default.</summary>
public sealed record WorkflowInputSpec
{
    /// <summary>The value's type. Default text (string).</summary>
    public InputType Type { get; set; } = InputType.Text;

    /// <summary>Whether a run must give a value (a required input has no default).</summary>
    public bool Required { get; set; }

    /// <summary>The value used when a run gives none; null for none. Always of <see cref="Type"/>.</summary>
    public JsonNode? Default { get; set; }

    /// <summary>What the input is for, shown by the CLI and the API.</summary>
    public string? Description { get; set; }
}
