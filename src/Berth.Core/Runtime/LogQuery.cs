namespace Berth.Core.Runtime;

/// <summary>Which log lines to read.</summary>
public sealed record LogQuery
{
    /// <summary>The most lines a tail may ask for: 10,000.</summary>
    public const int MaxTail = 10_000;

    /// <summary>The most text a tail returns, in UTF-8 bytes of its lines: 4 MiB. Older lines beyond it are left out.</summary>
    public const int MaxTailBytes = 4 * 1024 * 1024;

    /// <summary>Only the last N lines, at most <see cref="MaxTail"/> and <see cref="MaxTailBytes"/>. Null: all lines kept.</summary>
    public int? Tail { get; init; }

    /// <summary>Only lines written at or after this time. Null: from the start.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Keep the sequence open and yield new lines as they are written. Default false.</summary>
    public bool Follow { get; init; }
}
