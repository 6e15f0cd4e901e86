using System.Text.Json.Serialization;
using Berth.Core.Serialization;

namespace Berth.Core.Specs;

/// <summary>Resource limits for each instance.</summary>
public sealed record ResourceSpec
{
    /// <summary>Memory limit in bytes (written <c>512Mi</c>, <c>2Gi</c>, <c>100M</c>). Null: no limit.</summary>
    [JsonPropertyName("memory")]
    [JsonConverter(typeof(ByteSizeJsonConverter))]
    public long? MemoryBytes { get; set; }

    /// <summary>CPU limit in cores (written <c>0.5</c> or <c>500m</c>). Null: no limit.</summary>
    [JsonConverter(typeof(CpuJsonConverter))]
    public double? Cpus { get; set; }
}
