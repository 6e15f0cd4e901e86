namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>Which container log lines to read.</summary>
public sealed record LogsQuery
{
    public bool Stdout { get; init; } = true;

    public bool Stderr { get; init; } = true;

    /// <summary>Only the last N lines. Null: all.</summary>
    public int? Tail { get; init; }

    /// <summary>Only lines written at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Keep streaming new lines until the container stops or the token is cancelled.</summary>
    public bool Follow { get; init; }
}
