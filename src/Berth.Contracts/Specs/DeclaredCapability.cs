using System.Text.Json.Nodes;

namespace Berth.Core.Specs;

/// <summary>
/// A capability an agent or plugin provides, for capability routing. Written as a plain name (<c>summarize</c>) or as a mapping
/// with a version and the shapes of what it takes and gives.
/// </summary>
public sealed record DeclaredCapability
{
    /// <summary>The capability's name, without spaces, like <c>summarize</c>. Required.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The version of the capability's contract (semver, like <c>1.2.0</c>). Null: unversioned.</summary>
    public string? Version { get; set; }

    /// <summary>What the capability does, in a sentence. Null: nothing said.</summary>
    public string? Description { get; set; }

    /// <summary>JSON Schema (2020-12) of what a call gives it. Null: not declared.</summary>
    public JsonObject? Inputs { get; set; }

    /// <summary>JSON Schema (2020-12) of what it answers. Null: not declared.</summary>
    public JsonObject? Outputs { get; set; }
}
