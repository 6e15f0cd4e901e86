namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>The parts of <c>GET /images/{name}/json</c> Berth reads.</summary>
public sealed record ImageInspect
{
    public string Id { get; init; } = "";

    public IReadOnlyList<string> RepoTags { get; init; } = [];

    public string Created { get; init; } = "";

    public long Size { get; init; }

    public ImageConfig? Config { get; init; }
}
