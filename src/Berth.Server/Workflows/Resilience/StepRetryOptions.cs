using Berth.Core.Workflows;
using Polly;
using Polly.Retry;

namespace Berth.Server.Workflows.Resilience;

/// <summary>A <c>retry</c> section (a step's or a plugin's) as Polly's retry options: its backoff, delays and jitter.</summary>
internal static class StepRetryOptions
{
    /// <summary>At most <paramref name="retries"/> more attempts, after a failure <paramref name="handles"/> accepts.</summary>
    public static RetryStrategyOptions For(StepRetrySpec retry, int retries, Func<Exception, bool> handles) => new()
    {
        MaxRetryAttempts = retries,
        BackoffType = retry.Backoff switch
        {
            BackoffKind.Constant => DelayBackoffType.Constant,
            BackoffKind.Linear => DelayBackoffType.Linear,
            _ => DelayBackoffType.Exponential,
        },
        Delay = retry.InitialDelay,
        MaxDelay = retry.MaxDelay,
        UseJitter = retry.Jitter,
        ShouldHandle = new PredicateBuilder().Handle(handles),
    };
}
