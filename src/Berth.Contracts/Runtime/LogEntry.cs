namespace Berth.Core.Runtime;

/// <summary>One line an instance wrote.</summary>
/// <param name="InstanceId">The instance that wrote it.</param>
/// <param name="Time">When it was written (UTC).</param>
/// <param name="Source">Standard output or standard error.</param>
/// <param name="Line">The text without its line ending.</param>
public sealed record LogEntry(string InstanceId, DateTimeOffset Time, LogSource Source, string Line);
