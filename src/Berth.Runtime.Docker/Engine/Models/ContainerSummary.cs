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

    public IReadOnlyList<ContainerPortSummary> Ports { get; init; } = [];
}

/// <summary>A port of a listed container, and where it is published when it is.</summary>
public sealed record ContainerPortSummary
{
    [System.Text.Json.Serialization.JsonPropertyName("IP")]
    public string? Ip { get; init; }

    public int PrivatePort { get; init; }

    public int? PublicPort { get; init; }

    public string Type { get; init; } = "";
}
