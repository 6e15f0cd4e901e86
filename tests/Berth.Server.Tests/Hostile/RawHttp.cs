using System.Net.Sockets;
using System.Text;
using Berth.Testing;

namespace Berth.Server.Tests.Hostile;

/// <summary>Sends exact bytes over a TCP connection, for requests HttpClient would refuse to send or would normalise.</summary>
internal static class RawHttp
{
    /// <summary>A request line, a Host header, <paramref name="headers"/> (CRLF-terminated lines, sent as they are), <c>Connection: close</c> and the body.</summary>
    public static string Request(string method, string target, string headers = "", string body = "") =>
        $"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}Connection: close\r\n\r\n{body}";

    public static Task<RawResponse> SendAsync(Uri server, string request) => SendAsync(server, Encoding.Latin1.GetBytes(request));

    /// <summary>
    /// Sends <paramref name="request"/> while reading the answer, so an answer the server gives before it read the whole
    /// request (413 for an oversized body) is seen even when the server then closes the connection.
    /// </summary>
    public static async Task<RawResponse> SendAsync(Uri server, byte[] request)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Slow);
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, timeout.Token);
        var stream = client.GetStream();
        var reading = ReadToEndAsync(stream, timeout.Token);
        try
        {
            for (var offset = 0; offset < request.Length && !reading.IsCompleted; offset += 64 * 1024)
            {
                await stream.WriteAsync(request.AsMemory(offset, Math.Min(64 * 1024, request.Length - offset)), timeout.Token);
            }
        }
        catch (IOException)
        {
            // The server answered and closed before it read everything; the answer is what counts.
        }

        return RawResponse.Parse(Encoding.Latin1.GetString(await reading));
    }

    private static async Task<byte[]> ReadToEndAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        using var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException) when (received.Length > 0)
        {
            // A reset after the answer (the server closed with unread request bytes) loses nothing already received.
        }

        return received.ToArray();
    }
}
