using Berth.Core.Runtime;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Execution;
using Berth.Core.Workflows.Expressions;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Berth.Server.Workflows.Resilience;

/// <summary>Maps what an attempt threw to its error class; null for exceptions that are not a step's failure (the run was cancelled).</summary>
internal static class StepErrors
{
    public static ErrorClass? Classify(Exception exception) => exception switch
    {
        StepRunException step => step.Class,
        Plugins.Execution.PluginCallException call => call.Class,
        TimeoutRejectedException => ErrorClass.Timeout,
        BrokenCircuitException => ErrorClass.CircuitOpen,
        ExpressionException => ErrorClass.Config,
        RuntimeException { Kind: RuntimeErrorKind.Config } => ErrorClass.Config,
        _ => null,
    };
}
