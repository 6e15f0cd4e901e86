namespace Berth.Bench.Llm;

/// <summary>The latency run's timings in milliseconds, one list per kind of call and way.</summary>
internal sealed class LatencySamples(int capacity)
{
    public List<double> CompleteDirect { get; } = new(capacity);

    public List<double> CompleteBerth { get; } = new(capacity);

    public List<double> FirstTokenDirect { get; } = new(capacity);

    public List<double> FirstTokenBerth { get; } = new(capacity);

    public List<double> StreamDirect { get; } = new(capacity);

    public List<double> StreamBerth { get; } = new(capacity);
}
