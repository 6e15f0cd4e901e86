using System.Diagnostics;
using System.Diagnostics.Metrics;
using Berth.Server.Observability;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Proxy;

/// <summary>
/// <c>berth.proxy.request.duration</c> (seconds; tagged <c>berth.agent</c>, <c>http.request.method</c>,
/// <c>http.response.status_code</c>): each call through the proxy to a known agent, measured until its response has been sent,
/// so a streamed answer counts its whole length and a durable one its wait.
/// </summary>
internal static class ProxyMetrics
{
    private static readonly Histogram<double> Duration = BerthTelemetry.Meter.CreateHistogram(
        "berth.proxy.request.duration", "s", "Duration of requests through the agent proxy, until the response was sent.", advice: DurationBuckets.Requests);

    /// <summary>Starts measuring <paramref name="context"/>'s call to <paramref name="agentName"/>; records when its response completes.</summary>
    public static void Track(HttpContext context, string agentName)
    {
        if (Duration.Enabled)
        {
            context.Response.OnCompleted(Record, new Call(context, agentName, Stopwatch.GetTimestamp()));
        }
    }

    private static Task Record(object state)
    {
        var call = (Call)state;
        Duration.Record(
            Stopwatch.GetElapsedTime(call.Started).TotalSeconds,
            new TagList
            {
                { "berth.agent", call.AgentName },
                { "http.request.method", MetricText.Method(call.Context.Request.Method) },
                { "http.response.status_code", call.Context.Response.StatusCode },
            });
        return Task.CompletedTask;
    }

    private sealed record Call(HttpContext Context, string AgentName, long Started);
}
