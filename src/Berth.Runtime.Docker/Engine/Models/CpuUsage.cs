using System.Text.Json.Serialization;

namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>CPU time a container used, in nanoseconds.</summary>
public sealed record CpuUsage
{
    [JsonPropertyName("total_usage")]
    public long TotalUsage { get; init; }
}
