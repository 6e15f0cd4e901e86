namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>A host address a container port is published on; an empty <see cref="HostPort"/> asks for an ephemeral one.</summary>
public sealed record PortBinding
{
    public string HostIp { get; init; } = "";

    public string HostPort { get; init; } = "";
}
