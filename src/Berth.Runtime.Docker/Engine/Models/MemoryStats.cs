using System.Text.Json.Serialization;

namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>Memory use of a container in bytes.</summary>
public sealed record MemoryStats
{
    [JsonPropertyName("usage")]
    public long Usage { get; init; }

    [JsonPropertyName("max_usage")]
    public long MaxUsage { get; init; }

    [JsonPropertyName("limit")]
    public long Limit { get; init; }

    /// <summary>The cgroup's memory counters (<c>inactive_file</c> on cgroup v2, <c>total_inactive_file</c> on v1, …).</summary>
    [JsonPropertyName("stats")]
    public IReadOnlyDictionary<string, ulong>? Stats { get; init; }
}
