using System.Diagnostics;
using System.Diagnostics.Metrics;
using Berth.Server.Observability;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Berth.Server.Mcp;

/// <summary>
/// The outermost tool-call filter: a span per call, named and tagged by the GenAI conventions (<c>execute_tool {name}</c>,
/// <c>gen_ai.operation.name</c>, <c>gen_ai.tool.name</c>, <c>mcp.method.name</c>), and <c>berth.mcp.tool.duration</c> (seconds,
/// tagged <c>gen_ai.tool.name</c> and <c>berth.outcome</c>: <c>succeeded</c>, <c>error</c> for a tool error result, <c>failed</c>
/// for an exception). Only tools the server registered are measured, so a caller cannot mint tag values.
/// </summary>
internal static class McpToolTelemetry
{
    private static readonly Histogram<double> Duration = BerthTelemetry.Meter.CreateHistogram(
        "berth.mcp.tool.duration", "s", "Duration of MCP tool calls on /mcp, including refusals.", advice: DurationBuckets.Requests);

    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Observe(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, cancellationToken) =>
        {
            if (context.MatchedPrimitive is not McpServerTool tool)
            {
                return await next(context, cancellationToken);
            }

            var name = tool.ProtocolTool.Name;
            using var activity = BerthTelemetry.Source.StartActivity($"execute_tool {name}", ActivityKind.Internal);
            activity?.SetTag("gen_ai.operation.name", "execute_tool");
            activity?.SetTag("gen_ai.tool.name", name);
            activity?.SetTag("mcp.method.name", "tools/call");
            var started = Stopwatch.GetTimestamp();
            var outcome = "failed";
            try
            {
                var result = await next(context, cancellationToken);
                outcome = result.IsError == true ? "error" : "succeeded";
                if (result.IsError == true)
                {
                    activity?.SetStatus(ActivityStatusCode.Error, "the tool answered with an error result");
                }

                return result;
            }
            catch (Exception ex)
            {
                activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
                throw;
            }
            finally
            {
                Duration.Record(
                    Stopwatch.GetElapsedTime(started).TotalSeconds,
                    new KeyValuePair<string, object?>("gen_ai.tool.name", name),
                    new KeyValuePair<string, object?>("berth.outcome", outcome));
            }
        };
}
