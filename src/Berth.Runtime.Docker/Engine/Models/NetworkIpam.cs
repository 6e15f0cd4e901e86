namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>A network's IP address management: the engine's <c>IPAM</c> object.</summary>
public sealed record NetworkIpam
{
    /// <summary>The IPAM driver. Default <c>default</c> (the engine's built-in one).</summary>
    public string Driver { get; init; } = "default";

    /// <summary>The network's address ranges; null or empty lets the engine pick one from its default pools.</summary>
    public IReadOnlyList<NetworkIpamConfig>? Config { get; init; }
}
