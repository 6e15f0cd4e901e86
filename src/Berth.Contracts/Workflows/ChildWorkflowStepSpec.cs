using System.Text.Json.Nodes;

namespace Berth.Core.Workflows;

/// <summary>A step that runs another applied workflow as a child run; the child's step outputs become this step's <c>outputs</c>.</summary>
public sealed record ChildWorkflowStepSpec
{
    /// <summary>The applied workflow's name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The child's inputs; string values may hold expressions.</summary>
    public IReadOnlyDictionary<string, JsonNode?> Inputs { get; set; } = new Dictionary<string, JsonNode?>();
}
