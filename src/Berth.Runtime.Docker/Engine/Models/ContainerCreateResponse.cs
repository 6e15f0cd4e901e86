namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>Response of <c>POST /containers/create</c>.</summary>
public sealed record ContainerCreateResponse
{
    public string Id { get; init; } = "";

    public IReadOnlyList<string>? Warnings { get; init; }
}
