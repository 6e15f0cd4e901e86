using Berth.Core.Requests;
using Berth.Server.Proxy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Berth.Server.Requests;

/// <summary>Turns an agent's response into a <see cref="StoredResponse"/>, keeping the body up to a limit and counting the rest.</summary>
internal static class ResponseCapture
{
    private const int BufferSize = 16 * 1024;

    /// <summary>Reads the whole response; the body is kept up to <paramref name="limit"/> bytes.</summary>
    public static Task<StoredResponse> ReadAsync(HttpResponseMessage response, int limit, CancellationToken cancellationToken) =>
        CopyAsync(response, limit, null, cancellationToken);

    /// <summary>
    /// Writes the response to the client as it arrives (one flush per chunk, so server-sent events are not held back) while
    /// keeping up to <paramref name="limit"/> bytes. A client that goes away does not stop the capture: the response is
    /// still stored for it to fetch later.
    /// </summary>
    public static async Task<StoredResponse> StreamAsync(HttpContext context, HttpResponseMessage response, int limit, CancellationToken cancellationToken)
    {
        var outgoing = context.Response;
        outgoing.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in ForwardingHeaders.FromAgent(response))
        {
            outgoing.Headers.Append(name, values.ToArray());
        }

        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        return await CopyAsync(response, limit, outgoing, cancellationToken);
    }

    private static async Task<StoredResponse> CopyAsync(HttpResponseMessage response, int limit, HttpResponse? client, CancellationToken cancellationToken)
    {
        var headers = ForwardingHeaders.FromAgent(response).SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v))).ToList();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var kept = new MemoryStream();
        var buffer = new byte[BufferSize];
        long length = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            length += read;
            kept.Write(buffer, 0, (int)Math.Min(read, Math.Max(0, limit - kept.Length)));
            client = await WriteToClientAsync(client, buffer.AsMemory(0, read));
        }

        return new StoredResponse
        {
            Status = (int)response.StatusCode,
            Message = new StoredMessage { Headers = headers, Body = kept.ToArray() },
            Truncated = length > kept.Length,
            Length = length,
        };
    }

    // Returns null once the client is gone, so the rest is only captured.
    private static async Task<HttpResponse?> WriteToClientAsync(HttpResponse? client, ReadOnlyMemory<byte> chunk)
    {
        if (client is null || client.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return null;
        }

        try
        {
            await client.Body.WriteAsync(chunk, client.HttpContext.RequestAborted);
            await client.Body.FlushAsync(client.HttpContext.RequestAborted);
            return client;
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            return null;
        }
    }
}
