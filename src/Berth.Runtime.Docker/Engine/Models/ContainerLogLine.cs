namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>One log line of a container.</summary>
/// <param name="Time">When the engine received it (from the timestamp prefix).</param>
/// <param name="Stream">Which stream wrote it.</param>
/// <param name="Text">The text without its line ending.</param>
public sealed record ContainerLogLine(DateTimeOffset Time, OutputKind Stream, string Text);
