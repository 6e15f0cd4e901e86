namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>The engine's own restart policy. Berth uses <c>no</c> and restarts instances itself.</summary>
public sealed record RestartPolicy
{
    public string Name { get; init; } = "no";

    public int MaximumRetryCount { get; init; }
}
