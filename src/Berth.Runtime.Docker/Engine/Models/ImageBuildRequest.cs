namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>Builds an image from a tar build context with the classic builder.</summary>
public sealed record ImageBuildRequest
{
    /// <summary>Name and tag to give the image, for example <c>berth-build/echo:3f9a</c>.</summary>
    public required string Tag { get; init; }

    /// <summary>Dockerfile path inside the context. Default <c>Dockerfile</c>.</summary>
    public string Dockerfile { get; init; } = "Dockerfile";

    /// <summary>Labels added to the image.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Build arguments.</summary>
    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();

    /// <summary>Ignore the build cache. Default false.</summary>
    public bool NoCache { get; init; }
}
