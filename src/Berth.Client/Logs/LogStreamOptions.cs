namespace Berth.Client.Logs;

/// <summary>Which log lines <see cref="BerthClient.StreamLogsAsync"/> asks for.</summary>
public sealed record LogStreamOptions
{
    /// <summary>Only the last N lines of each instance. Null (the default): all lines.</summary>
    public int? Tail { get; init; }

    /// <summary>Only lines from this point on: a duration meaning "that long ago" (<c>10m</c>) or an ISO 8601 time. Null (the default): from the start.</summary>
    public string? Since { get; init; }

    /// <summary>Keep the stream open and yield new lines as they are written, until cancelled. Default false.</summary>
    public bool Follow { get; init; }
}
