using Berth.Core.Specs;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Execution;
using Berth.Core.Workflows.Runs;
using Berth.Core.Workflows.Specs;
using Berth.Server.Workflows.Resilience;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Berth.Server.Workflows.Engine;

/// <summary>Turns what a step threw into the failure stored on it: class, a message that says what to do, exit code and log tail.</summary>
internal static class StepFailures
{
    public static StepFailure From(Exception exception, StepSpec step, string? target) => new()
    {
        Class = StepErrors.Classify(exception) ?? ErrorClass.Transient,
        Message = exception switch
        {
            TimeoutRejectedException => $"the attempt took longer than the step's timeout of {Duration.Format(step.Timeout ?? TimeSpan.Zero)} and was stopped",
            BrokenCircuitException => $"{target} failed too often; its circuit is open, so the step failed fast without calling it (it closes after the break)",
            _ => exception.Message,
        },
        ExitCode = (exception as StepRunException)?.ExitCode,
        LogTail = (exception as StepRunException)?.LogTail,
    };

    public static string Describe(StepFailure failure) => $"{ErrorClassNames.Format(failure.Class)}: {failure.Message}";
}
