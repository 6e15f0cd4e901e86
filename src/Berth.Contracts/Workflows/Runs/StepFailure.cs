namespace Berth.Core.Workflows.Runs;

/// <summary>Why a step attempt failed.</summary>
public sealed record StepFailure
{
    /// <summary>The error class; retries and circuit breakers decide by it.</summary>
    public required ErrorClass Class { get; init; }

    /// <summary>What went wrong and, where possible, what to do about it.</summary>
    public required string Message { get; init; }

    /// <summary>The container's exit code, when it exited.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The last lines of the step's output (container stdout and stderr, or the agent's answer), secrets redacted.</summary>
    public string? LogTail { get; init; }
}
