using Berth.Core.Runtime;

namespace Berth.Client.Exec;

/// <summary>One message from the server in an exec session.</summary>
/// <param name="Channel"><see cref="ExecChannel.Stdout"/>, <see cref="ExecChannel.Stderr"/>, <see cref="ExecChannel.Exit"/> or <see cref="ExecChannel.Error"/>.</param>
/// <param name="Data">Output bytes (valid until the next read).</param>
/// <param name="ExitCode">The command's exit code, for <see cref="ExecChannel.Exit"/>.</param>
/// <param name="Error">Why the session ended, for <see cref="ExecChannel.Error"/>.</param>
public readonly record struct ExecFrame(ExecChannel Channel, ReadOnlyMemory<byte> Data, int? ExitCode = null, ExecError? Error = null);
