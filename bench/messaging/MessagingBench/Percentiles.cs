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

    /// <summary>How many values fall in each bucket of <paramref name="width"/> ms up to <paramref name="buckets"/> buckets, the last one open: "0-50:12 50-100:3 … 500+:1".</summary>
    public string Histogram(double width, int buckets)
    {
        var counts = new int[buckets];
        foreach (var value in _sorted)
        {
            counts[Math.Min(buckets - 1, (int)(value / width))]++;
        }

        return string.Join(' ', counts.Select((count, i) => i == buckets - 1
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{i * width:0}+:{count}")
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{i * width:0}-{(i + 1) * width:0}:{count}")));
    }

    public double Max => _sorted.Length == 0 ? double.NaN : _sorted[^1];
}
