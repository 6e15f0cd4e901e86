namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>One row of <c>GET /containers/json</c>.</summary>
public sealed record ContainerSummary
{
    public string Id { get; init; } = "";

    public IReadOnlyList<string> Names { get; init; } = [];

    public string Image { get; init; } = "";

    public string State { get; init; } = "";

    public string Status { get; init; } = "";

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public long Created { get; init; }
}
