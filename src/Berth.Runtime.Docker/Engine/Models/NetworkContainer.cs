namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>A container attached to a network.</summary>
public sealed record NetworkContainer
{
    public string Name { get; init; } = "";

    public string IPv4Address { get; init; } = "";
}
