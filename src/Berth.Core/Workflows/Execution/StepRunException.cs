namespace Berth.Core.Workflows.Execution;

/// <summary>A step attempt could not run or did not finish, with the class retries and circuit breakers decide by.</summary>
public sealed class StepRunException : Exception
{
    public StepRunException()
    {
    }

    public StepRunException(string message)
        : base(message)
    {
    }

    public StepRunException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public StepRunException(ErrorClass errorClass, string message, Exception? innerException = null)
        : base(message, innerException) => Class = errorClass;

    /// <summary>The error class. Default transient.</summary>
    public ErrorClass Class { get; } = ErrorClass.Transient;

    /// <summary>The container's exit code, when the attempt ran and exited.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The end of the attempt's output (or the agent's answer), when it ran.</summary>
    public string? LogTail { get; init; }
}
