using System.Diagnostics;
using System.Diagnostics.Metrics;
using Berth.Core.Llm;
using Berth.Server.Observability;

namespace Berth.Server.Llm;

/// <summary>
/// The gateway's instruments and span attributes, named by OpenTelemetry's GenAI conventions where they have a name:
/// <c>gen_ai.client.token.usage</c> (tokens per call, by <c>gen_ai.token.type</c> input or output) and
/// <c>gen_ai.client.operation.duration</c> (seconds, until the answer ended), tagged with the operation, provider, model and
/// caller; plus <c>berth.llm.cost</c>, what calls cost by the endpoints' price tables.
/// </summary>
internal static class LlmMetrics
{
    private static readonly Histogram<long> Tokens = BerthTelemetry.Meter.CreateHistogram<long>(
        "gen_ai.client.token.usage", "{token}", "Tokens used per LLM call through the gateway.",
        advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304] });

    private static readonly Histogram<double> Duration = BerthTelemetry.Meter.CreateHistogram(
        "gen_ai.client.operation.duration", "s", "Duration of LLM calls through the gateway, until the answer ended.", advice: DurationBuckets.Requests);

    private static readonly Counter<double> Cost = BerthTelemetry.Meter.CreateCounter<double>(
        "berth.llm.cost", "{currency}", "What LLM calls through the gateway cost, by the endpoints' price tables.");

    /// <summary>Starts the call's client span (<c>chat gpt-4o-mini</c>).</summary>
    public static Activity? StartSpan(LlmCallStart call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var activity = BerthTelemetry.Source.StartActivity($"{SemanticOperation(call.Operation)} {call.UpstreamModel}", ActivityKind.Client);
        activity?.SetTag("gen_ai.operation.name", SemanticOperation(call.Operation));
        activity?.SetTag("gen_ai.provider.name", call.Provider.WireName());
        activity?.SetTag("gen_ai.request.model", call.UpstreamModel);
        activity?.SetTag("berth.llm.endpoint", call.Endpoint);
        activity?.SetTag("berth.llm.call", call.Id);
        activity?.SetTag("berth.caller", call.Caller);
        return activity;
    }

    /// <summary>Records a finished call on the instruments and on its span.</summary>
    public static void Record(LlmCallStart call, LlmCallEnd end, Activity? span)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(end);
        var tags = new TagList
        {
            { "gen_ai.operation.name", SemanticOperation(call.Operation) },
            { "gen_ai.provider.name", call.Provider.WireName() },
            { "gen_ai.request.model", call.UpstreamModel },
            { "berth.caller", call.Caller },
        };
        Duration.Record(end.Latency.TotalSeconds, tags);
        if (end.Usage != TokenUsage.None)
        {
            var input = tags;
            input.Add("gen_ai.token.type", "input");
            Tokens.Record(end.Usage.Prompt, input);
            var output = tags;
            output.Add("gen_ai.token.type", "output");
            Tokens.Record(end.Usage.Completion, output);
        }

        if (end.CostNanos > 0)
        {
            Cost.Add((double)TokenUsage.FromNanos(end.CostNanos), tags);
        }

        span?.SetTag("gen_ai.usage.input_tokens", end.Usage.Prompt);
        span?.SetTag("gen_ai.usage.output_tokens", end.Usage.Completion);
        span?.SetTag("berth.llm.served_by", end.ServedBy);
        span?.SetTag("berth.llm.cache_hit", end.CacheHit);
        if (end.Status is { } status)
        {
            span?.SetTag("http.response.status_code", status);
        }

        if (!end.Succeeded)
        {
            span?.SetStatus(ActivityStatusCode.Error, end.Error);
        }
    }

    private static string SemanticOperation(string operation) => operation == "embeddings" ? "embeddings" : "chat";
}
