using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Berth.Server.Proxy;

/// <summary>
/// Which headers cross the proxy, in each direction, for the plain and the durable proxy alike. The proxy sets some itself
/// and never copies the client's: what a client sends under these names is unverified (anyone can claim
/// <c>X-Forwarded-For: 10.0.0.1</c>), so agents would trust a lie.
/// </summary>
internal static class ForwardingHeaders
{
    /// <summary>Prefix of the headers Berth itself reads or sets (<c>Berth-Wait</c>, <c>Berth-Request-Id</c>, <c>Berth-Replayed</c>).</summary>
    public const string BerthPrefix = "Berth-";

    private const string ForwardedPrefix = "X-Forwarded-";

    /// <summary>
    /// True for headers the client's values are dropped for: <c>Host</c> (the agent's own address is sent), <c>Authorization</c>
    /// (the caller's Berth token is for Berth alone), <c>Content-Length</c> (the proxy frames the body), <c>Forwarded</c>,
    /// <c>X-Forwarded-*</c> and Berth's own <c>Berth-*</c> (so a client cannot pose as a replay).
    /// </summary>
    public static bool IsSetByProxy(string name) =>
        name.Equals(HeaderNames.Host, StringComparison.OrdinalIgnoreCase) ||
        name.Equals(HeaderNames.Authorization, StringComparison.OrdinalIgnoreCase) ||
        name.Equals(HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase) ||
        name.Equals("Forwarded", StringComparison.OrdinalIgnoreCase) ||
        name.StartsWith(ForwardedPrefix, StringComparison.OrdinalIgnoreCase) ||
        name.StartsWith(BerthPrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The client's headers the agent is sent: all but hop-by-hop ones (those the <c>Connection</c> header names included,
    /// as the client sent it: see <see cref="ConnectionNamedHeaders"/>) and those <see cref="IsSetByProxy"/>.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, StringValues>> FromClient(HttpContext context)
    {
        var namedByConnection = NamedByConnection(context);
        return context.Request.Headers.Where(h => IsForwardedFromClient(h.Key, namedByConnection));
    }

    /// <summary>True when a client's header of this name reaches the agent (see <see cref="FromClient"/>).</summary>
    public static bool IsForwardedFromClient(string name, IReadOnlySet<string> namedByConnection) =>
        !HopByHopHeaders.IsHopByHop(name, namedByConnection) && !IsSetByProxy(name);

    /// <summary>The further header names the client's <c>Connection</c> headers list, from the parsed headers and the raw bytes.</summary>
    public static IReadOnlySet<string> NamedByConnection(HttpContext context)
    {
        var namedByConnection = HopByHopHeaders.NamedBy(context.Request.Headers.Connection);
        if (context.Features.Get<ConnectionNamedHeaders>()?.Names is { Count: > 0 } named)
        {
            namedByConnection = new HashSet<string>(namedByConnection.Concat(named), StringComparer.OrdinalIgnoreCase);
        }

        return namedByConnection;
    }

    /// <summary>
    /// <c>X-Forwarded-For|Proto|Host|Prefix</c> from what this server saw of the connection and request.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string>> Added(HttpContext context, string agentName)
    {
        var incoming = context.Request;
        yield return new("X-Forwarded-For", context.Connection.RemoteIpAddress?.ToString() ?? string.Empty);
        yield return new("X-Forwarded-Proto", incoming.Scheme);
        yield return new("X-Forwarded-Host", incoming.Host.Value ?? string.Empty);
        yield return new("X-Forwarded-Prefix", $"/agents/{agentName}");
    }

    /// <summary>The agent's response headers the client is sent: all but hop-by-hop ones and any posing as Berth's own.</summary>
    public static IEnumerable<KeyValuePair<string, IEnumerable<string>>> FromAgent(HttpResponseMessage response)
    {
        var namedByConnection = HopByHopHeaders.NamedBy(response.Headers.TryGetValues(HeaderNames.Connection, out var c) ? c : []);
        return response.Headers.Concat(response.Content.Headers).Where(h =>
            !HopByHopHeaders.IsHopByHop(h.Key, namedByConnection) && !h.Key.StartsWith(BerthPrefix, StringComparison.OrdinalIgnoreCase));
    }
}
