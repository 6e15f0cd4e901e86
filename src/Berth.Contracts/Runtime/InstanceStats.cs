using System.Text.Json.Serialization;
using Berth.Core.Serialization;

namespace Berth.Core.Runtime;

/// <summary>
/// One resource-usage sample of a running instance. CPU is measured over a short window (about half a second) the way
/// <c>docker stats</c> does: 100 means one full core. Values a runtime cannot tell are null (and written as null, not left out).
/// </summary>
public sealed record InstanceStats
{
    /// <summary>Berth's id for the instance.</summary>
    public required string InstanceId { get; init; }

    /// <summary>CPU used over the sample window, in percent of one core (200 is two cores busy).</summary>
    public required double CpuPercent { get; init; }

    /// <summary>Memory in use in bytes: the container's usage less its inactive page cache, or the resident set of a process tree.</summary>
    public required long MemoryBytes { get; init; }

    /// <summary>The memory the instance may use in bytes (the container's limit, the host's memory when it has none); null when unknown.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public long? MemoryLimitBytes { get; init; }

    /// <summary>Bytes received on every network interface since the instance started; null when the runtime cannot tell (process agents).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public long? NetworkRxBytes { get; init; }

    /// <summary>Bytes sent on every network interface since the instance started; null when the runtime cannot tell (process agents).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public long? NetworkTxBytes { get; init; }

    /// <summary>When the sample was taken (UTC, written with a <c>Z</c>).</summary>
    [JsonConverter(typeof(UtcTimeJsonConverter))]
    public required DateTimeOffset At { get; init; }
}
