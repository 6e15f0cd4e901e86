using System.Text.Json.Serialization;

namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>Cumulative CPU time of a container and of the host, in nanoseconds.</summary>
public sealed record CpuStats
{
    [JsonPropertyName("cpu_usage")]
    public CpuUsage CpuUsage { get; init; } = new();

    [JsonPropertyName("system_cpu_usage")]
    public long SystemCpuUsage { get; init; }

    [JsonPropertyName("online_cpus")]
    public int OnlineCpus { get; init; }
}
