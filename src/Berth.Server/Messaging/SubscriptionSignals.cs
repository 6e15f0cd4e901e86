using System.Collections.Concurrent;

namespace Berth.Server.Messaging;

/// <summary>
/// Wakes consumers waiting on a subscription (a long-poll, a stream, a push worker) when something may have become ready there:
/// a publish, a nack, a requeue. Waiters still look again on their own every <see cref="Recheck"/>, for what no signal announces
/// (a lease that ran out, a redelivery delay that passed, a publish on another server).
/// </summary>
internal sealed class SubscriptionSignals
{
    /// <summary>How often a waiter looks again without a signal: 250 ms.</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waits = new(StringComparer.Ordinal);

    /// <summary>
    /// A task that completes at the next <see cref="Pulse"/> of <paramref name="subscription"/>. Take it before looking at the
    /// subscription and wait on it after finding nothing: a pulse that comes between the look and the wait then still wakes the
    /// waiter, where a task taken after the look would miss it and sleep a whole <see cref="Recheck"/>.
    /// </summary>
    public Task Next(string subscription) =>
        _waits.GetOrAdd(subscription, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Wakes every waiter of <paramref name="subscription"/>.</summary>
    public void Pulse(string subscription)
    {
        if (_waits.TryRemove(subscription, out var wait))
        {
            wait.TrySetResult();
        }
    }

    /// <summary>Waits for <paramref name="pulse"/> (from <see cref="Next"/>, taken before the look), at most <paramref name="limit"/> and never past <see cref="Recheck"/>.</summary>
    public static async Task WaitAsync(Task pulse, TimeSpan limit, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pulse);
        var wait = limit < Recheck ? limit : Recheck;
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            await pulse.WaitAsync(wait, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Nothing announced: the caller looks again anyway.
        }
    }
}
