using Berth.Core.Specs.Binding;

namespace Berth.Core.Llm;

/// <summary>
/// How often a call is sent again to the same endpoint after a 429, a 5xx, a timeout or a failed connection, before it moves
/// to the next fallback. Only calls whose answer has not started reaching the caller are sent again.
/// </summary>
public sealed record ModelRetry
{
    /// <summary>Attempts per endpoint, counting the first, 1 to 10. Default 2.</summary>
    [Expected("a number of attempts from 1 to 10")]
    public int MaxAttempts { get; set; } = 2;

    /// <summary>Wait before the second attempt; each later one waits twice as long. Default 500ms.</summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromMilliseconds(500);
}
