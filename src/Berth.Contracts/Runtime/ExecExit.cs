namespace Berth.Core.Runtime;

/// <summary>The payload of an <see cref="ExecChannel.Exit"/> message.</summary>
/// <param name="ExitCode">The command's exit code.</param>
public sealed record ExecExit(int ExitCode);
