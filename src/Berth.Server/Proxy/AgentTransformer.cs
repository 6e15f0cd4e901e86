using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace Berth.Server.Proxy;

/// <summary>
/// The proxy's header rules, applied by YARP's forwarder to one request: the client's headers less hop-by-hop ones, those its
/// <c>Connection</c> header names and those the proxy sets itself (<see cref="ForwardingHeaders"/>); <c>X-Forwarded-*</c> set
/// from what this server saw; the body framed by the proxy, never by a client's <c>Content-Length</c> sent beside
/// <c>Transfer-Encoding</c>; the agent's response headers less hop-by-hop ones and any posing as Berth's own. YARP puts back
/// <c>Connection: upgrade</c> and <c>Upgrade</c> itself for a WebSocket handshake, after this has dropped them.
/// </summary>
internal sealed class AgentTransformer(string agentName, string pathAndQuery) : HttpTransformer
{
    public override ValueTask TransformRequestAsync(
        HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        var incoming = httpContext.Request;
        var namedByConnection = ForwardingHeaders.NamedByConnection(httpContext);
        foreach (var (name, values) in incoming.Headers)
        {
            if (ForwardingHeaders.IsForwardedFromClient(name, namedByConnection))
            {
                Add(proxyRequest, name, values);
            }
        }

        foreach (var (name, value) in ForwardingHeaders.Added(httpContext, agentName))
        {
            proxyRequest.Headers.TryAddWithoutValidation(name, value);
        }

        if (proxyRequest.Content is { } content)
        {
            // Kestrel has already de-chunked the body; a Content-Length sent beside Transfer-Encoding must not reach the agent,
            // where it would split the body into two requests. Without a length the body goes chunked (or as HTTP/2 frames).
            content.Headers.ContentLength = incoming.Headers.TransferEncoding.Count > 0 ? null : incoming.ContentLength;
        }

        // gRPC servers may insist on "TE: trailers" (RFC 9113 8.2.2 allows only that value on HTTP/2); TE is hop-by-hop otherwise.
        if (proxyRequest.Version.Major >= 2 && HasTrailersToken(incoming.Headers.TE))
        {
            proxyRequest.Headers.TryAddWithoutValidation(HeaderNames.TE, "trailers");
        }

        proxyRequest.RequestUri = AgentConnections.TargetUri(destinationPrefix, pathAndQuery);
        return default;
    }

    public override ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (proxyResponse is null)
        {
            return new ValueTask<bool>(false);
        }

        var outgoing = httpContext.Response.Headers;
        foreach (var (name, values) in ForwardingHeaders.FromAgent(proxyResponse))
        {
            outgoing[name] = values.ToArray();
        }

        // RFC 9112 6.3: a response framed both ways is framed by Transfer-Encoding; the length must not be passed on.
        if (proxyResponse.Headers.TransferEncodingChunked == true)
        {
            outgoing.ContentLength = null;
        }

        return new ValueTask<bool>(true);
    }

    private static void Add(HttpRequestMessage request, string name, StringValues values)
    {
        var added = values.Count == 1
            ? request.Headers.TryAddWithoutValidation(name, values.ToString())
            : request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
        if (!added)
        {
            // Content-Type and the other content headers; a request without a body has nowhere to put them, as before.
            request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
        }
    }

    private static bool HasTrailersToken(StringValues te)
    {
        foreach (var value in te)
        {
            foreach (var token in (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries))
            {
                if (token.Equals("trailers", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
