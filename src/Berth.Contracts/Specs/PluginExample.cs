using System.Text.Json.Nodes;

namespace Berth.Core.Specs;

/// <summary>One call the contract check makes: inputs, and optionally the outputs they must give.</summary>
public sealed record PluginExample
{
    /// <summary>What the example shows. Null: nothing said.</summary>
    public string? Description { get; set; }

    /// <summary>The inputs sent. Default an empty object.</summary>
    public JsonObject Inputs { get; set; } = [];

    /// <summary>The outputs expected (every field given must be equal; others may be added). Null: only the output schema is checked.</summary>
    public JsonObject? Outputs { get; set; }
}
