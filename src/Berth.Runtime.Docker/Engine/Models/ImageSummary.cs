namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>One row of <c>GET /images/json</c>.</summary>
public sealed record ImageSummary
{
    public string Id { get; init; } = "";

    public IReadOnlyList<string>? RepoTags { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public long Created { get; init; }

    public long Size { get; init; }
}
