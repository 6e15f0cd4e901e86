namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>Body of <c>POST /containers/create</c>.</summary>
public sealed record ContainerCreateRequest
{
    public required string Image { get; init; }

    public IReadOnlyList<string>? Cmd { get; init; }

    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyList<string>? Env { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public IReadOnlyDictionary<string, EmptyObject>? ExposedPorts { get; init; }

    public string? WorkingDir { get; init; }

    public string? User { get; init; }

    public bool Tty { get; init; }

    public bool OpenStdin { get; init; }

    /// <summary>Seconds <c>docker stop</c> waits before SIGKILL when no timeout is given.</summary>
    public int? StopTimeout { get; init; }

    public HostConfig? HostConfig { get; init; }
}
