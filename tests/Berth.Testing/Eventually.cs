namespace Berth.Testing;

/// <summary>
/// Waits for a state a test cannot be notified of (a file rotated, an API answering differently) by asking again until it
/// holds. Never a bound on how long something takes: a slow machine only waits longer, and a state that never comes fails
/// after the timeout (<see cref="TestTimeouts.Slow"/> by default) with what was last seen. A probe may throw to fail at once
/// (the server it asks has exited); a caller's cancellation token ends the wait early without turning it into a timeout.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Asks <paramref name="probe"/> until its answer satisfies <paramref name="done"/>, and returns that answer.</summary>
    public static Task<T> MatchAsync<T>(
        Func<CancellationToken, Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        MatchAsync(probe, done, last => $"{what}; last seen: {last}", timeout, cancellationToken);

    /// <summary>
    /// Asks <paramref name="probe"/> until its answer satisfies <paramref name="done"/>, and returns that answer; on timeout the
    /// failure says <paramref name="explain"/> of the last answer (default when none came), computed only then.
    /// </summary>
    public static async Task<T> MatchAsync<T>(
        Func<CancellationToken, Task<T>> probe, Func<T, bool> done, Func<T?, string> explain, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);
        ArgumentNullException.ThrowIfNull(explain);
        var limit = timeout ?? TestTimeouts.Slow;
        using var deadline = new CancellationTokenSource(limit);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var last = default(T);
        try
        {
            while (true)
            {
                last = await probe(either.Token);
                if (done(last))
                {
                    return last;
                }

                await Task.Delay(PollInterval, either.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"not within {limit.TotalSeconds}s: {explain(last)}");
        }
    }

    /// <summary>Reads <paramref name="probe"/> until its value satisfies <paramref name="done"/>, and returns that value.</summary>
    public static Task<T> MatchAsync<T>(Func<T> probe, Func<T, bool> done, string what, TimeSpan? timeout = null) =>
        MatchAsync(_ => Task.FromResult(probe()), done, what, timeout);

    /// <summary>Asks <paramref name="condition"/> until it is true.</summary>
    public static Task TrueAsync(Func<CancellationToken, Task<bool>> condition, string what, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        MatchAsync(condition, holds => holds, what, timeout, cancellationToken);

    /// <summary>Checks <paramref name="condition"/> until it is true.</summary>
    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        MatchAsync(_ => Task.FromResult(condition()), holds => holds, what, timeout);
}
