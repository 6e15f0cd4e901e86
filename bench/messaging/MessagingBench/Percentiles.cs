namespace Berth.Bench.Messaging;

/// <summary>Nearest-rank percentiles of a sample in milliseconds.</summary>
internal sealed class Percentiles
{
    private readonly double[] _sorted;

    public Percentiles(IEnumerable<double> sample)
    {
        _sorted = [.. sample];
        Array.Sort(_sorted);
    }

    public int Count => _sorted.Length;

    /// <summary>The value at or below which <paramref name="percent"/>% of the sample lies; NaN for an empty sample.</summary>
    public double At(double percent)
    {
        if (_sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percent / 100 * _sorted.Length);
        return _sorted[Math.Clamp(rank - 1, 0, _sorted.Length - 1)];
    }

    public double Max => _sorted.Length == 0 ? double.NaN : _sorted[^1];
}
