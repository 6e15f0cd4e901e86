namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>A container's attachment to one network.</summary>
public sealed record EndpointSettings
{
    public string NetworkID { get; init; } = "";

    public string IPAddress { get; init; } = "";

    public IReadOnlyList<string>? Aliases { get; init; }
}
