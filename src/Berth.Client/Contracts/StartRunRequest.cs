using System.Text.Json.Nodes;

namespace Berth.Client.Contracts;

/// <summary>The body of <c>POST /api/v1/workflows/{name}/runs</c>: the run's inputs (defaults fill the rest).</summary>
public sealed record StartRunRequest
{
    /// <summary>Input values by name; null or empty uses the defaults.</summary>
    public JsonObject? Inputs { get; init; }
}
