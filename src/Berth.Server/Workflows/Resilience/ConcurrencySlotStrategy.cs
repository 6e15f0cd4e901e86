using Polly;

namespace Berth.Server.Workflows.Resilience;

/// <summary>
/// Holds one of the run's concurrency slots for each attempt, between the retry strategy and the breaker: an attempt
/// waits for a slot, and a step waiting out its retry backoff holds none, so other ready steps can run meanwhile.
/// </summary>
internal sealed class ConcurrencySlotStrategy(SemaphoreSlim slots) : ResilienceStrategy
{
    protected override async ValueTask<Outcome<TResult>> ExecuteCore<TResult, TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback, ResilienceContext context, TState state)
    {
        try
        {
            await slots.WaitAsync(context.CancellationToken).ConfigureAwait(context.ContinueOnCapturedContext);
        }
        catch (OperationCanceledException ex)
        {
            return Outcome.FromException<TResult>(ex);
        }

        try
        {
            return await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        }
        finally
        {
            slots.Release();
        }
    }
}
