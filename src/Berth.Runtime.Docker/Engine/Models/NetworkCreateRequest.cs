using System.Text.Json.Serialization;

namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>Body of <c>POST /networks/create</c>.</summary>
public sealed record NetworkCreateRequest
{
    public required string Name { get; init; }

    public string Driver { get; init; } = "bridge";

    /// <summary>Refuse to create a second network with the same name. Default true.</summary>
    public bool CheckDuplicate { get; init; } = true;

    public bool Internal { get; init; }

    /// <summary>An overlay network that plain containers may join too (Berth's relay does).</summary>
    public bool Attachable { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>Explicit address ranges; null lets the engine pick from its default pools.</summary>
    [JsonPropertyName("IPAM")]
    public NetworkIpam? Ipam { get; init; }
}
