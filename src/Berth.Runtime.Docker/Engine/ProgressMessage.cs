using System.Text.Json;

namespace Berth.Runtime.Docker.Engine;

/// <summary>One object of a build or import progress stream.</summary>
internal sealed record ProgressMessage
{
    public string? Stream { get; init; }

    public string? Status { get; init; }

    public string? Error { get; init; }

    public ProgressError? ErrorDetail { get; init; }

    public JsonElement? Aux { get; init; }
}
