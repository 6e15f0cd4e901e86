using System.Diagnostics.Metrics;

namespace Berth.Server.Observability;

/// <summary>Histogram bucket bounds in seconds: the SDK's defaults are milliseconds-sized and would put every proxied request in the first bucket.</summary>
internal static class DurationBuckets
{
    /// <summary>A millisecond to a minute: proxied requests, tool and plugin calls.</summary>
    public static readonly InstrumentAdvice<double> Requests = new()
    {
        HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    };

    /// <summary>Ten milliseconds to an hour: workflow steps and runs.</summary>
    public static readonly InstrumentAdvice<double> Steps = new()
    {
        HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600],
    };
}
