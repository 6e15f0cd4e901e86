namespace Berth.Core.Runtime;

/// <summary>Which log lines to read.</summary>
public sealed record LogQuery
{
    /// <summary>Only the last N lines. Null: all.</summary>
    public int? Tail { get; init; }

    /// <summary>Only lines written at or after this time. Null: from the start.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Keep the sequence open and yield new lines as they are written. Default false.</summary>
    public bool Follow { get; init; }
}
