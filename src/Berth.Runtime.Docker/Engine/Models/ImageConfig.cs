namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>An image's default run configuration.</summary>
public sealed record ImageConfig
{
    public IReadOnlyList<string>? Cmd { get; init; }

    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyList<string>? Env { get; init; }

    public IReadOnlyDictionary<string, EmptyObject>? ExposedPorts { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public string? WorkingDir { get; init; }
}
