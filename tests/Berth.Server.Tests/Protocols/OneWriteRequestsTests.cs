using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Core.Specs;
using Berth.Server.Proxy;
using Shouldly;
using Xunit;

namespace Berth.Server.Tests.Protocols;

/// <summary>
/// The agent connection pool sends a small HTTP/1.1 body in the same write as its headers, even when the content flushes the
/// headers first as YARP's does, and keeps the early flush for bodies that may stream. A raw socket stands in for the agent so
/// the test sees what arrives in the first read.
/// </summary>
public sealed class OneWriteRequestsTests
{
    private const string Body = "{\"name\":\"bench\"}";

    [Fact]
    public async Task SendAsync_SmallBodyWhoseContentFlushesHeadersFirst_ArrivesWithHeadersInFirstRead()
    {
        var first = await FirstReadAsync(length: Body.Length);

        first.ShouldStartWith("POST /greet HTTP/1.1");
        first.ShouldEndWith("\r\n\r\n" + Body);
    }

    [Fact]
    public async Task SendAsync_BodyOfUnknownLength_HeadersArriveBeforeTheBodyIsWritten()
    {
        // A chunked upload may stream for minutes: the agent must see its headers at once, as YARP intends.
        var first = await FirstReadAsync(length: null);

        first.ShouldStartWith("POST /greet HTTP/1.1");
        first.ShouldNotContain(Body);
    }

    [Fact]
    public async Task SendAsync_BodyLargerThanTheLimit_HeadersArriveBeforeTheBodyIsWritten()
    {
        var first = await FirstReadAsync(length: OneWriteRequests.MaxBytes + 1, body: new string('x', (int)OneWriteRequests.MaxBytes + 1));

        first.ShouldStartWith("POST /greet HTTP/1.1");
        first.ShouldNotContain("xxxx");
    }

    /// <summary>
    /// Sends a POST whose content flushes, then writes its body only once the agent has read something or, when nothing arrives,
    /// after a short while. Returns the agent's first read: the headers alone when the flush went out, headers and body when not.
    /// </summary>
    private static async Task<string> FirstReadAsync(long? length, string body = Body)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var agent = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync(timeout.Token);
            var buffer = new byte[128 * 1024];
            var count = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            received.TrySetResult();
            var first = Encoding.ASCII.GetString(buffer, 0, count);
            // Read the whole request before answering, so the client never sees an answer to half a request.
            var seen = new StringBuilder(first);
            while (!seen.ToString().Contains(body, StringComparison.Ordinal))
            {
                count = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                count.ShouldBeGreaterThan(0, "the client closed the connection before its body was complete");
                seen.Append(Encoding.ASCII.GetString(buffer, 0, count));
            }

            var reply = "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"u8.ToArray();
            await socket.SendAsync(reply, SocketFlags.None, timeout.Token);
            return first;
        });

        using var connections = new AgentConnections();
        using var request = AgentConnections.CreateRequest("POST", new Uri($"http://127.0.0.1:{port}"), "/greet", AgentProtocol.Http);
        request.Content = new FlushingFirstContent(body, length, received.Task);
        using var response = await connections.SendAsync(request, timeout.Token);

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        return await agent;
    }

    /// <summary>Flushes before its body, as YARP's request content does, and writes the body once the agent has read or a moment passed.</summary>
    private sealed class FlushingFirstContent : HttpContent
    {
        private readonly byte[] _body;
        private readonly Task _agentRead;

        public FlushingFirstContent(string body, long? length, Task agentRead)
        {
            _body = Encoding.ASCII.GetBytes(body);
            _agentRead = agentRead;
            Headers.ContentLength = length;
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.FlushAsync();
            // When the flush went out the agent reads the headers alone and this goes on at once; when it was held back, nothing
            // arrives and the body follows after the wait.
            await Task.WhenAny(_agentRead, Task.Delay(TimeSpan.FromMilliseconds(300)));
            await stream.WriteAsync(_body);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = Headers.ContentLength ?? -1;
            return length >= 0;
        }
    }
}
