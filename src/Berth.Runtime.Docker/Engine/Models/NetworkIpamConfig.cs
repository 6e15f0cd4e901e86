namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>One address range of a network (<c>IPAM.Config[]</c>).</summary>
public sealed record NetworkIpamConfig
{
    /// <summary>The range in CIDR form (<c>10.213.0.0/26</c>).</summary>
    public string? Subnet { get; init; }

    /// <summary>The bridge's own address inside <see cref="Subnet"/>.</summary>
    public string? Gateway { get; init; }
}
