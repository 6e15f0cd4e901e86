namespace Berth.Bench.Llm;

/// <summary>A mistake in the arguments or a run that cannot go on; the message says which.</summary>
internal sealed class BenchException(string message) : Exception(message);
