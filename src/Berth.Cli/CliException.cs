namespace Berth.Cli;

/// <summary>A failure the CLI explains in one message and maps to an exit code.</summary>
internal sealed class CliException(string message, int exitCode = ExitCodes.Failure) : Exception(message)
{
    /// <summary>The exit code to return.</summary>
    public int ExitCode { get; } = exitCode;
}
