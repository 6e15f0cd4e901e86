using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Berth.Server.Proxy;

/// <summary>
/// Headers the proxy sets itself and never copies from the client: what the client sends under these names is
/// unverified (anyone can claim <c>X-Forwarded-For: 10.0.0.1</c>), so agents would trust a lie.
/// </summary>
internal static class ForwardingHeaders
{
    private const string ForwardedPrefix = "X-Forwarded-";

    /// <summary>
    /// True for headers the client's values are dropped for: <c>Host</c> (the agent's own address is sent), <c>Authorization</c>
    /// (the caller's Berth token is for Berth alone), <c>Content-Length</c> (the proxy frames the body), <c>Forwarded</c> and <c>X-Forwarded-*</c>.
    /// </summary>
    public static bool IsSetByProxy(string name) =>
        name.Equals(HeaderNames.Host, StringComparison.OrdinalIgnoreCase) ||
        name.Equals(HeaderNames.Authorization, StringComparison.OrdinalIgnoreCase) ||
        name.Equals(HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase) ||
        name.Equals("Forwarded", StringComparison.OrdinalIgnoreCase) ||
        name.StartsWith(ForwardedPrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Sets <c>X-Forwarded-For|Proto|Host|Prefix</c> from what this server saw of the connection and request.</summary>
    public static void Add(HttpRequestMessage request, HttpContext context, string agentName)
    {
        var incoming = context.Request;
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", context.Connection.RemoteIpAddress?.ToString());
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", incoming.Scheme);
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", incoming.Host.Value);
        request.Headers.TryAddWithoutValidation("X-Forwarded-Prefix", $"/agents/{agentName}");
    }
}
