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
}
