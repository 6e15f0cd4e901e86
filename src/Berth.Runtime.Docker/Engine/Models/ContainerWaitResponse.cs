namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>Response of <c>POST /containers/{id}/wait</c>.</summary>
public sealed record ContainerWaitResponse
{
    public long StatusCode { get; init; }

    public WaitError? Error { get; init; }
}
