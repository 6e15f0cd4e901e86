namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>A mount in <see cref="HostConfig.Mounts"/>.</summary>
public sealed record Mount
{
    /// <summary><c>volume</c>, <c>bind</c> or <c>tmpfs</c>.</summary>
    public required string Type { get; init; }

    public string? Source { get; init; }

    public required string Target { get; init; }

    public bool ReadOnly { get; init; }
}
