using System.Text.Json.Serialization;

namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>Traffic of one interface of a container since it started, in bytes.</summary>
public sealed record NetworkStats
{
    [JsonPropertyName("rx_bytes")]
    public long RxBytes { get; init; }

    [JsonPropertyName("tx_bytes")]
    public long TxBytes { get; init; }
}
