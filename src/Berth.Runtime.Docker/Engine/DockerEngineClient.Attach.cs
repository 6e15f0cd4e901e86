using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Berth.Core.Runtime;

namespace Berth.Runtime.Docker.Engine;

public sealed partial class DockerEngineClient
{
    private const int MaxResponseHeadBytes = 16 * 1024;
    private const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>
    /// Starts an exec attached and hijacks the connection (<c>POST /exec/{id}/start</c> with <c>Upgrade: tcp</c>), so its
    /// standard input can be written and closed while its output is read.
    /// </summary>
    public async Task<HijackedConnection> StartExecAttachedAsync(string execId, bool tty, CancellationToken cancellationToken)
    {
        var prefix = await VersionPrefixAsync(cancellationToken).ConfigureAwait(false);
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, bool> { ["Detach"] = false, ["Tty"] = tty });
        var head = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"POST {prefix}exec/{EngineQuery.Segment(execId)}/start HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"));
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                throw Unreachable(ex);
            }

            await socket.SendAsync(head, cancellationToken).ConfigureAwait(false);
            await socket.SendAsync(body, cancellationToken).ConfigureAwait(false);
            var (status, contentLength) = await ReadResponseHeadAsync(socket, cancellationToken).ConfigureAwait(false);
            if (status is HttpStatusCode.SwitchingProtocols or HttpStatusCode.OK)
            {
                return new HijackedConnection(socket);
            }

            var message = await ReadErrorBodyAsync(socket, contentLength, cancellationToken).ConfigureAwait(false);
            throw new DockerEngineException(
                $"Docker engine could not start exec '{execId}': {message} (HTTP {(int)status})",
                DockerEngineException.KindFor(status),
                status,
                message);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Resizes the TTY of a running exec (<c>POST /exec/{id}/resize</c>).</summary>
    public async Task ResizeExecAsync(string execId, int rows, int columns, CancellationToken cancellationToken)
    {
        var path = new EngineQuery($"exec/{EngineQuery.Segment(execId)}/resize").Add("h", rows).Add("w", columns).ToString();
        await SendExpectingNoBodyAsync(HttpMethod.Post, path, null, $"resize exec '{execId}'", null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the status line and headers one byte at a time, so nothing of the hijacked stream after them is consumed.</summary>
    private async Task<(HttpStatusCode Status, int? ContentLength)> ReadResponseHeadAsync(Socket socket, CancellationToken cancellationToken)
    {
        var head = new List<byte>(256);
        var one = new byte[1];
        while (head.Count < 4 || !(head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (head.Count >= MaxResponseHeadBytes || await socket.ReceiveAsync(one, cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new DockerEngineException(
                    $"Docker engine at {Endpoint} closed the connection or sent a malformed answer when asked to start an exec; retry, and check dockerd's log if it keeps failing",
                    RuntimeErrorKind.Transient);
            }

            head.Add(one[0]);
        }

        var lines = Encoding.ASCII.GetString(head.ToArray()).Split("\r\n");
        var statusParts = lines[0].Split(' ', 3);
        if (statusParts.Length < 2 || !int.TryParse(statusParts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            throw new DockerEngineException($"Docker engine at {Endpoint} answered an exec start with '{lines[0]}', which is not HTTP", RuntimeErrorKind.Transient);
        }

        int? length = null;
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(line[(colon + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                length = parsed;
            }
        }

        return ((HttpStatusCode)code, length);
    }

    private static async Task<string> ReadErrorBodyAsync(Socket socket, int? contentLength, CancellationToken cancellationToken)
    {
        var buffer = new byte[Math.Min(contentLength ?? MaxErrorBodyBytes, MaxErrorBodyBytes)];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        var text = Encoding.UTF8.GetString(buffer, 0, read);
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.TryGetProperty("message", out var message) && message.GetString() is { } value)
            {
                return value;
            }
        }
        catch (JsonException)
        {
            // not JSON: the raw text is the message
        }

        return string.IsNullOrWhiteSpace(text) ? "no message" : text.Trim();
    }
}
