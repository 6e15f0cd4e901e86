namespace Berth.Server.Proxy;

/// <summary>
/// Sends a small HTTP/1.1 request body in the same write as its headers. YARP's request content flushes the headers before it
/// copies the body, so that a streaming upload reaches the agent at once; for the common small JSON call that costs a second
/// send from Berth and a second read and wake-up in the agent, about a fifth of a proxied call's CPU on a loaded machine
/// (see bench/proxy/README.md). Bodies larger than <see cref="MaxBytes"/>, bodies of unknown length (chunked, gRPC), HTTP/2
/// and <c>Expect: 100-continue</c> keep YARP's early flush.
/// </summary>
internal sealed class OneWriteRequests : DelegatingHandler
{
    /// <summary>The largest body sent with its headers; it also fits SocketsHttpHandler's write buffer, so one send carries both.</summary>
    public const long MaxBytes = 16 * 1024;

    public OneWriteRequests(HttpMessageHandler inner) : base(inner)
    {
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is { } content && Coalesces(request, content))
        {
            request.Content = new UnflushedContent(content);
        }

        return base.SendAsync(request, cancellationToken);
    }

    private static bool Coalesces(HttpRequestMessage request, HttpContent content) =>
        request.Version.Major == 1 &&
        request.Headers.ExpectContinue != true &&
        content.Headers.ContentLength is > 0 and <= MaxBytes;

    /// <summary>The request's own content, copied through a stream that ignores flushes; the connection flushes once at the end.</summary>
    private sealed class UnflushedContent : HttpContent
    {
        private readonly HttpContent _inner;

        public UnflushedContent(HttpContent inner)
        {
            _inner = inner;
            foreach (var (name, values) in inner.Headers)
            {
                Headers.TryAddWithoutValidation(name, values);
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            _inner.CopyToAsync(new FlushlessStream(stream), context);

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken) =>
            _inner.CopyToAsync(new FlushlessStream(stream), context, cancellationToken);

        protected override bool TryComputeLength(out long length)
        {
            length = _inner.Headers.ContentLength ?? -1;
            return length >= 0;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
