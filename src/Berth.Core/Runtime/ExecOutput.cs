namespace Berth.Core.Runtime;

/// <summary>A chunk a running exec wrote.</summary>
/// <param name="Source">Standard output or standard error (everything is standard output with a TTY).</param>
/// <param name="Data">The bytes, valid until the next chunk is read.</param>
public readonly record struct ExecOutput(LogSource Source, ReadOnlyMemory<byte> Data);
