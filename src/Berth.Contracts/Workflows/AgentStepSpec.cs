using System.Text.Json.Nodes;

namespace Berth.Core.Workflows;

/// <summary>An agent step: one HTTP call to a deployed agent through Berth's proxy; the JSON answer becomes the step's <c>body</c>.</summary>
public sealed record AgentStepSpec
{
    /// <summary>The agent's name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>HTTP method. Default POST.</summary>
    public string Method { get; set; } = "POST";

    /// <summary>Path on the agent, starting with '/'. Default "/".</summary>
    public string Path { get; set; } = "/";

    /// <summary>JSON body; string values may hold expressions. Null: no body.</summary>
    public JsonNode? Body { get; set; }

    /// <summary>Request headers; values may hold expressions.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; set; } = new Dictionary<string, string>();
}
