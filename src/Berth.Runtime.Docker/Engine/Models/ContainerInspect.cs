namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>The parts of <c>GET /containers/{id}/json</c> Berth reads.</summary>
public sealed record ContainerInspect
{
    public string Id { get; init; } = "";

    public string Name { get; init; } = "";

    public string Image { get; init; } = "";

    public string Created { get; init; } = "";

    public ContainerState State { get; init; } = new();

    public ContainerConfig Config { get; init; } = new();

    public HostConfig? HostConfig { get; init; }

    public NetworkSettings NetworkSettings { get; init; } = new();
}
