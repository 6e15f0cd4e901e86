namespace Berth.Testing;

/// <summary>
/// Waits for a state a test cannot be notified of (a file rotated, an API answering differently) by asking again until it
/// holds. Never a bound on how long something takes: a slow machine only waits longer, and a state that never comes fails
/// after the timeout (<see cref="TestTimeouts.Slow"/> by default) with what was last seen.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Asks <paramref name="probe"/> until its answer satisfies <paramref name="done"/>, and returns that answer.</summary>
    public static async Task<T> MatchAsync<T>(Func<CancellationToken, Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);
        var limit = timeout ?? TestTimeouts.Slow;
        using var deadline = new CancellationTokenSource(limit);
        var last = default(T);
        try
        {
            while (true)
            {
                last = await probe(deadline.Token);
                if (done(last))
                {
                    return last;
                }

                await Task.Delay(PollInterval, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"{what}: not within {limit.TotalSeconds}s; last seen: {last}");
        }
    }

    /// <summary>Asks <paramref name="condition"/> until it is true.</summary>
    public static Task TrueAsync(Func<CancellationToken, Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        MatchAsync(condition, holds => holds, what, timeout);

    /// <summary>Checks <paramref name="condition"/> until it is true.</summary>
    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        MatchAsync(_ => Task.FromResult(condition()), holds => holds, what, timeout);
}
