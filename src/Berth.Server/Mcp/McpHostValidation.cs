using System.Net;
using Berth.Server.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Berth.Server.Mcp;

/// <summary>
/// DNS-rebinding protection for the MCP endpoints: a request whose <c>Host</c>, or whose <c>Origin</c> when it sends one,
/// names a host that is neither loopback nor in <see cref="McpSettings.AllowedHosts"/> gets 403 before authentication. The
/// endpoint's metadata decides what is an MCP endpoint, never the path's text.
/// </summary>
internal sealed class McpHostValidation(RequestDelegate next, IOptionsMonitor<McpSettings> settings)
{
    private static readonly string[] LoopbackNames = ["localhost", "127.0.0.1", "[::1]", "::1"];

    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<McpEndpointMetadata>() is null)
        {
            return next(context);
        }

        var request = context.Request;
        if (!IsAllowed(request.Host.Host))
        {
            return RefuseAsync(context, $"Host '{CallerText.Printable(request.Host.Value)}' is not one this server answers MCP on");
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !(Uri.TryCreate(origin, UriKind.Absolute, out var uri) && IsAllowed(uri.Host)))
        {
            return RefuseAsync(context, $"Origin '{CallerText.Printable(origin)}' is not one this server answers MCP on");
        }

        return next(context);
    }

    private bool IsAllowed(string host) =>
        LoopbackNames.Contains(host, StringComparer.OrdinalIgnoreCase) ||
        (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address)) ||
        settings.CurrentValue.AllowedHostNames.Contains(host, StringComparer.OrdinalIgnoreCase);

    private static Task RefuseAsync(HttpContext context, string reason) =>
        Results.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Host not allowed",
            type: "urn:berth:problem:mcp-host-not-allowed",
            detail: $"{reason}. Add the host name to Berth:Mcp:AllowedHosts (comma-separated) when clients reach the server by that name.").ExecuteAsync(context);
}
