namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>What a finished exec printed and how it exited.</summary>
/// <param name="ExitCode">The command's exit code.</param>
/// <param name="Stdout">Everything written to standard output.</param>
/// <param name="Stderr">Everything written to standard error.</param>
public sealed record ExecResult(int ExitCode, string Stdout, string Stderr);
