using System.Text.Json.Serialization;

namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>One sample of <c>GET /containers/{id}/stats?stream=false</c> (the stats API uses snake_case).</summary>
public sealed record ContainerStats
{
    [JsonPropertyName("read")]
    public string Read { get; init; } = "";

    [JsonPropertyName("memory_stats")]
    public MemoryStats MemoryStats { get; init; } = new();

    [JsonPropertyName("cpu_stats")]
    public CpuStats CpuStats { get; init; } = new();

    [JsonPropertyName("precpu_stats")]
    public CpuStats PreCpuStats { get; init; } = new();

    /// <summary>Per interface; null when the container has no network of its own (network mode none or host).</summary>
    [JsonPropertyName("networks")]
    public IReadOnlyDictionary<string, NetworkStats>? Networks { get; init; }
}
