using Berth.Core.Workflows;
using Polly;
using Polly.Retry;

namespace Berth.Server.Workflows.Resilience;

/// <summary>
/// The pipeline one step's attempts run through: retry by error class (outermost, continuing from the attempts a previous
/// server already made), a concurrency slot per attempt (when given), the target's circuit breaker, then the per-attempt
/// timeout (which cancels the attempt, so its container is killed; waiting for a slot does not count against it).
/// </summary>
internal sealed class StepResilience(CircuitBreakers breakers, TimeProvider time)
{
    /// <summary>The pipeline for <paramref name="step"/>, which has already made <paramref name="attemptsMade"/> attempts (those a previous server started count).</summary>
    public ResiliencePipeline For(
        StepSpec step, int attemptsMade, string? target, Func<OnRetryArguments<object>, ValueTask> onRetry, SemaphoreSlim? slots = null)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        var retry = step.Retry;
        var retriesLeft = retry is null ? 0 : retry.MaxAttempts - attemptsMade - 1;
        if (retry is not null && retriesLeft > 0)
        {
            var options = StepRetryOptions.For(retry, retriesLeft, ex => StepErrors.Classify(ex) is { } kind && retry.On.Contains(kind));
            options.OnRetry = onRetry;
            builder.AddRetry(options);
        }

        if (slots is not null)
        {
            builder.AddStrategy(_ => new ConcurrencySlotStrategy(slots));
        }

        if (target is not null)
        {
            builder.AddPipeline(breakers.For(target));
        }

        if (step.Timeout is { } timeout)
        {
            builder.AddTimeout(timeout);
        }

        return builder.Build();
    }
}
