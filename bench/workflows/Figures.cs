using System.Globalization;

namespace Berth.Bench.Workflows;

/// <summary>Statistics and number formats for the printed figures.</summary>
internal static class Figures
{
    public static double Median(IEnumerable<double> values) => Percentile(values, 50);

    /// <summary>Nearest-rank percentile (the median of an even count is the mean of the middle two).</summary>
    public static double Percentile(IEnumerable<double> values, double percent)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        if (percent == 50 && sorted.Count % 2 == 0)
        {
            return (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        }

        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public static string Ms(double milliseconds) =>
        milliseconds.ToString(milliseconds >= 100 ? "0" : milliseconds >= 10 ? "0.0" : "0.00", CultureInfo.InvariantCulture) + " ms";

    public static string Ms(TimeSpan value) => Ms(value.TotalMilliseconds);

    public static string Us(double microseconds) => microseconds.ToString("0", CultureInfo.InvariantCulture) + " µs";

    public static string Ratio(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + "x";

    public static string Number(double value, string format = "0") => value.ToString(format, CultureInfo.InvariantCulture);

    public static string List(IEnumerable<double> milliseconds) =>
        string.Join(" / ", milliseconds.Select(m => m.ToString("0", CultureInfo.InvariantCulture)));
}
