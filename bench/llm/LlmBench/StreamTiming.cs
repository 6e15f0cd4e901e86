namespace Berth.Bench.Llm;

/// <summary>A stream's timing in milliseconds from sending the call: to its first content chunk, and to its end.</summary>
internal readonly record struct StreamTiming(double FirstToken, double Whole);
