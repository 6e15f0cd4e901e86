namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>A container's configuration as inspected.</summary>
public sealed record ContainerConfig
{
    public string Image { get; init; } = "";

    public IReadOnlyList<string>? Cmd { get; init; }

    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyList<string>? Env { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public IReadOnlyDictionary<string, EmptyObject>? ExposedPorts { get; init; }

    /// <summary>User the container's process runs as; empty for the image's.</summary>
    public string? User { get; init; }

    public bool Tty { get; init; }
}
