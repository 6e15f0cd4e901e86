using Berth.Core.Workflows;
using Berth.Core.Workflows.Execution;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Berth.Server.Workflows.Resilience;

/// <summary>Maps what an attempt threw to its error class; null for exceptions that are not a step's failure (the run was cancelled).</summary>
internal static class StepErrors
{
    public static ErrorClass? Classify(Exception exception) => exception switch
    {
        StepRunException step => step.Class,
        TimeoutRejectedException => ErrorClass.Timeout,
        BrokenCircuitException => ErrorClass.CircuitOpen,
        _ => null,
    };

    /// <summary>A message for the step's record: what failed, and for a timeout or an open circuit what that means.</summary>
    public static string Describe(Exception exception, TimeSpan? timeout) => exception switch
    {
        TimeoutRejectedException when timeout is { } limit => $"the attempt did not finish within its timeout of {Core.Specs.Duration.Format(limit)} and was stopped",
        BrokenCircuitException => "not tried: the target's circuit breaker is open after repeated failures; it is tried again once the break ends",
        _ => exception.Message,
    };
}
