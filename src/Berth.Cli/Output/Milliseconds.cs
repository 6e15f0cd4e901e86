using System.Globalization;

namespace Berth.Cli.Output;

/// <summary>Short human forms of latencies for tables.</summary>
internal static class Milliseconds
{
    /// <summary>Milliseconds as a person reads them: <c>0.84ms</c>, <c>12.3ms</c>, <c>412ms</c>, <c>1.20s</c>.</summary>
    public static string Format(double milliseconds) =>
        milliseconds < 10 ? milliseconds.ToString("0.00", CultureInfo.InvariantCulture) + "ms"
        : milliseconds < 100 ? milliseconds.ToString("0.0", CultureInfo.InvariantCulture) + "ms"
        : milliseconds < 1000 ? milliseconds.ToString("0", CultureInfo.InvariantCulture) + "ms"
        : (milliseconds / 1000).ToString("0.00", CultureInfo.InvariantCulture) + "s";
}
