using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Berth.Server.Mcp;

/// <summary>Answers a <see cref="ToolFailure"/> with its message alone (the SDK would prefix "An error occurred invoking …").</summary>
internal static class ToolFailureFilter
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Wrap(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, cancellationToken) =>
        {
            try
            {
                return await next(context, cancellationToken);
            }
            catch (ToolFailure failure)
            {
                return failure.ToResult();
            }
        };
}
