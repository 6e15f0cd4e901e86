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

    /// <summary>How many values fall between each pair of <paramref name="bounds"/> (ms), the last bucket open: "<10:3 10-20:12 … 5000+:0".</summary>
    public string Histogram(IReadOnlyList<double> bounds)
    {
        var counts = new int[bounds.Count + 1];
        foreach (var value in _sorted)
        {
            var bucket = 0;
            while (bucket < bounds.Count && value >= bounds[bucket])
            {
                bucket++;
            }

            counts[bucket]++;
        }

        string Bound(int i) => bounds[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
        return string.Join(' ', counts.Select((count, i) =>
            (i == 0 ? $"<{Bound(0)}" : i == bounds.Count ? $"{Bound(i - 1)}+" : $"{Bound(i - 1)}-{Bound(i)}") + ":" + count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    public double Max => _sorted.Length == 0 ? double.NaN : _sorted[^1];
}
