namespace Berth.Bench.Workflows;

/// <summary>A setup that cannot be measured (bad arguments, a run that failed, wrong outputs); the message says which and why.</summary>
internal sealed class BenchException(string message) : Exception(message);
