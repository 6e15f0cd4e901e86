namespace Berth.Testing;

/// <summary>Upper bounds for awaits in tests, so a hang fails fast instead of stalling the suite.</summary>
public static class TestTimeouts
{
    /// <summary>For in-process work that should finish almost at once.</summary>
    public static readonly TimeSpan Quick = TimeSpan.FromSeconds(10);

    /// <summary>For work that starts processes or containers.</summary>
    public static readonly TimeSpan Slow = TimeSpan.FromSeconds(90);

    /// <summary>A token cancelled after <paramref name="timeout"/> (default <see cref="Slow"/>).</summary>
    public static CancellationToken Token(TimeSpan? timeout = null) =>
        new CancellationTokenSource(timeout ?? Slow).Token;
}
