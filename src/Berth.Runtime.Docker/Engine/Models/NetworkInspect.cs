using System.Text.Json.Serialization;

namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>A network as <c>GET /networks/{id}</c> and <c>GET /networks</c> report it.</summary>
public sealed record NetworkInspect
{
    public string Id { get; init; } = "";

    public string Name { get; init; } = "";

    public string Driver { get; init; } = "";

    public bool Internal { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>The network's address ranges (filled by inspect and by list).</summary>
    [JsonPropertyName("IPAM")]
    public NetworkIpam? Ipam { get; init; }

    /// <summary>Attached containers by container id (filled by inspect, not by list).</summary>
    public IReadOnlyDictionary<string, NetworkContainer>? Containers { get; init; }
}
