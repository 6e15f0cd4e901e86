using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Core.Specs;
using Berth.Server.Proxy;
using Berth.Testing;
using Shouldly;
using Xunit;

namespace Berth.Server.Tests.Protocols;

/// <summary>
/// The agent connection pool sends a small HTTP/1.1 body in the same write as its headers, even when the content flushes the
/// headers first as YARP's does, and keeps the early flush for bodies that may stream: checked on the writes the connection sees,
/// and over a real socket standing in for the agent.
/// </summary>
public sealed class OneWriteRequestsTests
{
    private const string Body = "{\"name\":\"bench\"}";

    [Fact]
    public async Task SendAsync_SmallBody_ContentFlushIsHeldBackUntilTheBodyIsWritten()
    {
        var writes = await WritesSeenByTheConnectionAsync(Request(Body.Length));

        writes.ShouldBe([$"write {Body.Length}"], "the headers go out with the body, in the connection's one flush at the end");
    }

    [Theory]
    [InlineData("unknown length")]
    [InlineData("over the limit")]
    [InlineData("HTTP/2")]
    [InlineData("Expect: 100-continue")]
    public async Task SendAsync_BodyThatMayStream_ContentFlushGoesThroughBeforeTheBody(string kind)
    {
        using var request = kind switch
        {
            "unknown length" => Request(length: null),
            "over the limit" => Request(OneWriteRequests.MaxBytes + 1),
            "HTTP/2" => Request(Body.Length, version: HttpVersion.Version20),
            _ => Request(Body.Length, expectContinue: true),
        };

        var writes = await WritesSeenByTheConnectionAsync(request);

        writes.ShouldBe(["flush", $"write {Body.Length}"], $"a body {kind} keeps YARP's early flush of the headers");
    }

    [Fact]
    public async Task SendAsync_SmallBodyOverARealConnection_ArrivesWithItsHeadersInTheFirstRead()
    {
        var first = await FirstReadAsync(length: Body.Length, waitForAgent: false);

        first.ShouldStartWith("POST /greet HTTP/1.1");
        first.ShouldEndWith("\r\n\r\n" + Body);
    }

    [Fact]
    public async Task SendAsync_BodyOfUnknownLengthOverARealConnection_HeadersArriveBeforeTheBodyIsWritten()
    {
        // A chunked upload may stream for minutes: the agent must see its headers at once, as YARP intends. The body is written
        // only once the agent has read them, so without the early flush this never completes.
        var first = await FirstReadAsync(length: null, waitForAgent: true);

        first.ShouldStartWith("POST /greet HTTP/1.1");
        first.ShouldNotContain(Body);
    }

    private static HttpRequestMessage Request(long? length, Version? version = null, bool expectContinue = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:9/greet")
        {
            Version = version ?? HttpVersion.Version11,
            Content = new FlushingFirstContent(Body, length, agentRead: null),
        };
        request.Headers.ExpectContinue = expectContinue;
        return request;
    }

    /// <summary>Sends <paramref name="request"/> through the handler to a connection that records its content's writes and flushes.</summary>
    private static async Task<List<string>> WritesSeenByTheConnectionAsync(HttpRequestMessage request)
    {
        var connection = new RecordingConnection();
        using var invoker = new HttpMessageInvoker(new OneWriteRequests(connection));
        using var response = await invoker.SendAsync(request, TestTimeouts.Token());
        return connection.Writes;
    }

    /// <summary>
    /// Sends a POST whose content flushes, then writes its body, at once or (<paramref name="waitForAgent"/>) only once the agent
    /// has read something, to a raw socket standing in for the agent. Returns the agent's first read.
    /// </summary>
    private static async Task<string> FirstReadAsync(long? length, bool waitForAgent)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var timeout = TestTimeouts.Token();
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var agent = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync(timeout);
            var buffer = new byte[128 * 1024];
            var count = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout);
            received.TrySetResult();
            var first = Encoding.ASCII.GetString(buffer, 0, count);
            // Read the whole request before answering, so the client never sees an answer to half a request.
            var seen = new StringBuilder(first);
            while (!seen.ToString().Contains(Body, StringComparison.Ordinal))
            {
                count = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout);
                count.ShouldBeGreaterThan(0, "the client closed the connection before its body was complete");
                seen.Append(Encoding.ASCII.GetString(buffer, 0, count));
            }

            await socket.SendAsync("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), SocketFlags.None, timeout);
            return first;
        });

        using var connections = new AgentConnections();
        using var request = AgentConnections.CreateRequest("POST", new Uri($"http://127.0.0.1:{port}"), "/greet", AgentProtocol.Http);
        request.Content = new FlushingFirstContent(Body, length, waitForAgent ? received.Task : null);
        using var response = await connections.SendAsync(request, timeout);

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        return await agent;
    }

    /// <summary>Flushes before its body, as YARP's request content does; writes the body at once, or once the agent has read.</summary>
    private sealed class FlushingFirstContent : HttpContent
    {
        private readonly byte[] _body;
        private readonly Task? _agentRead;

        public FlushingFirstContent(string body, long? length, Task? agentRead)
        {
            _body = Encoding.ASCII.GetBytes(body);
            _agentRead = agentRead;
            Headers.ContentLength = length;
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await stream.FlushAsync(cancellationToken);
            if (_agentRead is not null)
            {
                await _agentRead.WaitAsync(cancellationToken);
            }

            await stream.WriteAsync(_body, cancellationToken);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = Headers.ContentLength ?? -1;
            return length >= 0;
        }
    }

    /// <summary>Stands in for SocketsHttpHandler: copies the request's content to a stream that records what reaches it.</summary>
    private sealed class RecordingConnection : HttpMessageHandler
    {
        public List<string> Writes { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await request.Content!.CopyToAsync(new RecordingStream(Writes), cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.NoContent);
        }
    }

    private sealed class RecordingStream(List<string> writes) : MemoryStream
    {
        public override void Flush() => writes.Add("flush");

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            writes.Add("flush");
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            writes.Add($"write {buffer.Length}");
            return ValueTask.CompletedTask;
        }
    }
}
