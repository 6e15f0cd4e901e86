namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>Body of <c>POST /containers/{id}/exec</c>.</summary>
public sealed record ExecCreateRequest
{
    public required IReadOnlyList<string> Cmd { get; init; }

    public bool AttachStdin { get; init; }

    public bool AttachStdout { get; init; } = true;

    public bool AttachStderr { get; init; } = true;

    public bool Tty { get; init; }

    public IReadOnlyList<string>? Env { get; init; }

    public string? WorkingDir { get; init; }

    public string? User { get; init; }
}
