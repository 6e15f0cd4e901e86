namespace Berth.Server.Proxy;

/// <summary>
/// The one connection pool to agent instances, shared by the plain and the durable proxy: no proxy of its own, no redirects,
/// no decompression, no cookies, no trace headers, so agents get what the caller sent. <c>SendAsync</c> returns as soon as
/// the response headers arrive; the body is left to stream.
/// </summary>
internal sealed class AgentConnections : IDisposable
{
    private readonly HttpMessageInvoker _invoker = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        ActivityHeadersPropagator = null,
    });

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _invoker.SendAsync(request, cancellationToken);

    /// <summary>
    /// An HTTP/1.1 request to <paramref name="pathAndQuery"/> on <paramref name="endpoint"/>. The target is already escaped
    /// (<see cref="ProxyTarget"/>); canonicalising it again would decode %2E into a dot segment.
    /// </summary>
    public static HttpRequestMessage CreateRequest(string method, Uri endpoint, string pathAndQuery) => new(
        new HttpMethod(method),
        new Uri(endpoint.GetLeftPart(UriPartial.Authority) + pathAndQuery, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }))
    {
        Version = System.Net.HttpVersion.Version11,
    };

    public void Dispose() => _invoker.Dispose();
}
