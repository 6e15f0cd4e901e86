namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>A response that only carries the created object's id.</summary>
public sealed record IdResponse
{
    public string Id { get; init; } = "";

    public string? Warning { get; init; }
}
