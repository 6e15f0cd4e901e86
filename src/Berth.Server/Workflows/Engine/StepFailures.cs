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
    public static StepFailure From(Exception exception, StepSpec step) => new()
    {
        Class = StepErrors.Classify(exception) ?? ErrorClass.Transient,
        Message = exception is TimeoutRejectedException
            ? $"the attempt took longer than the step's timeout of {Duration.Format(step.Timeout ?? TimeSpan.Zero)} and was stopped"
            : exception.Message,
        ExitCode = (exception as StepRunException)?.ExitCode,
        LogTail = (exception as StepRunException)?.LogTail,
    };

    /// <summary>A fast failure from <paramref name="target"/>'s open circuit as a <c>circuit-open</c> step failure that names the target; other exceptions as they are.</summary>
    public static Exception Named(Exception exception, string? target) => exception is BrokenCircuitException
        ? new StepRunException(ErrorClass.CircuitOpen, $"{target} failed too often; its circuit is open, so the step failed fast without calling it (it closes after the break)", exception)
        : exception;

    public static string Describe(StepFailure failure) => $"{ErrorClassNames.Format(failure.Class)}: {failure.Message}";
}
