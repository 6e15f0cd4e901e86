namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>Why waiting for a container failed.</summary>
public sealed record WaitError
{
    public string? Message { get; init; }
}
