namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>Published ports and attached networks of a container.</summary>
public sealed record NetworkSettings
{
    /// <summary>Container port (<c>8000/tcp</c>) to its host bindings; null bindings when not published.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<PortBinding>?>? Ports { get; init; }

    public IReadOnlyDictionary<string, EndpointSettings>? Networks { get; init; }
}
