using System.Diagnostics;
using System.Net;
using Berth.Core.Specs;
using Berth.Server.Observability;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Berth.Server.Proxy;

/// <summary>
/// The one connection pool to agent instances, shared by the plain proxy (through YARP's forwarder), the durable proxy and
/// workflow steps: no proxy of its own, no redirects, no decompression, no cookies, so agents get what the caller sent. Trace
/// headers are the caller's too, unless this server records spans: then an agent gets a <c>traceparent</c> naming Berth's span
/// of the call (the caller's own trace headers are replaced, as YARP does), so its spans nest under Berth's. HTTP/1.1 and h2c connections are pooled per instance; an h2c agent gets more than one connection when the
/// streams of one are all in use. A small HTTP/1.1 body goes out in one write with its headers (<see cref="OneWriteRequests"/>).
/// </summary>
internal sealed class AgentConnections : IDisposable
{
    /// <summary>A pool that passes trace headers through untouched (Berth records no spans).</summary>
    public AgentConnections()
        : this(Options.Create(new TelemetryOptions { Tracing = false }))
    {
    }

    public AgentConnections(IOptions<TelemetryOptions> telemetry)
    {
        Handler = new OneWriteRequests(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            ActivityHeadersPropagator = telemetry.Value.Tracing == true ? new ReverseProxyPropagator(DistributedContextPropagator.Current) : null,
        });
        Invoker = new HttpMessageInvoker(Handler, disposeHandler: true);
    }

    /// <summary>The pool itself, for an <see cref="HttpClient"/> that must share it (the MCP gateway's clients; they never dispose it).</summary>
    public HttpMessageHandler Handler { get; }

    /// <summary>The shared invoker; YARP's forwarder sends through it.</summary>
    public HttpMessageInvoker Invoker { get; }

    /// <summary>Sends and returns as soon as the response headers arrive; the body is left to stream.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Invoker.SendAsync(request, cancellationToken);

    /// <summary>
    /// A request to <paramref name="pathAndQuery"/> on <paramref name="endpoint"/> in the agent's <paramref name="protocol"/>:
    /// HTTP/1.1, or HTTP/2 by prior knowledge (h2c; there is no TLS to negotiate it on a loopback or engine network).
    /// </summary>
    public static HttpRequestMessage CreateRequest(string method, Uri endpoint, string pathAndQuery, AgentProtocol protocol)
    {
        var (version, policy) = VersionOf(protocol);
        return new HttpRequestMessage(new HttpMethod(method), TargetUri(endpoint.GetLeftPart(UriPartial.Authority), pathAndQuery))
        {
            Version = version,
            VersionPolicy = policy,
        };
    }

    /// <summary>The HTTP version and policy an agent of <paramref name="protocol"/> is spoken to with.</summary>
    public static (Version Version, HttpVersionPolicy Policy) VersionOf(AgentProtocol protocol) => protocol == AgentProtocol.Http2
        ? (HttpVersion.Version20, HttpVersionPolicy.RequestVersionExact)
        : (HttpVersion.Version11, HttpVersionPolicy.RequestVersionOrLower);

    /// <summary>
    /// <paramref name="authority"/> (<c>http://host:port</c>, no trailing slash) followed by <paramref name="pathAndQuery"/>. The target
    /// is already escaped (<see cref="ProxyTarget"/>); canonicalising it again would decode %2E into a dot segment.
    /// </summary>
    public static Uri TargetUri(string authority, string pathAndQuery) =>
        new(authority.TrimEnd('/') + pathAndQuery, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });

    public void Dispose() => Invoker.Dispose();
}
