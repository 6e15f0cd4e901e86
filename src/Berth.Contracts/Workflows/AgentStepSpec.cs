using System.Text.Json.Nodes;

namespace Berth.Core.Workflows;

/// <summary>
/// An agent step: one HTTP call to a deployed agent through Berth's proxy; the JSON answer becomes the step's <c>body</c>. The agent
/// is named, or found by a capability it declares (exactly one of <see cref="Name"/> and <see cref="Capability"/> is set).
/// </summary>
public sealed record AgentStepSpec
{
    /// <summary>The agent's name. Empty when <see cref="Capability"/> is set.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>A capability; Berth routes the call to a healthy agent that declares it, failing over on transient failures. Null when <see cref="Name"/> is set.</summary>
    public string? Capability { get; set; }

    /// <summary>HTTP method. Default POST.</summary>
    public string Method { get; set; } = "POST";

    /// <summary>Path on the agent, starting with '/'. Default "/".</summary>
    public string Path { get; set; } = "/";

    /// <summary>JSON body; string values may hold expressions. Null: no body.</summary>
    public JsonNode? Body { get; set; }

    /// <summary>Request headers; values may hold expressions.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; set; } = new Dictionary<string, string>();
}
