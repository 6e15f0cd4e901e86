namespace Berth.Bench.Llm;

/// <summary>One throughput run's figures.</summary>
internal sealed record ThroughputFigures
{
    public required string Way { get; init; }

    public required int Callers { get; init; }

    /// <summary>Calls answered within the measured period, ÷ the period.</summary>
    public required double CallsPerSecond { get; init; }

    /// <summary>Milliseconds per call, of calls started in the measured period.</summary>
    public required Messaging.Percentiles Latency { get; init; }

    /// <summary>Calls answered within the measured period.</summary>
    public required long Answered { get; init; }

    /// <summary>Calls that failed (an error answer, a bad answer, no answer), warm-up included.</summary>
    public required long Errors { get; init; }

    public string? FirstError { get; init; }

    /// <summary>CPU seconds used in the measured period, by label (server, provider, generator, other); see CpuMeter.</summary>
    public required IReadOnlyDictionary<string, double> Cpu { get; init; }
}
