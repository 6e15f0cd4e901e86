using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Spectre.Console;

namespace Berth.Cli.Commands.Mcp;

/// <summary>
/// <c>berth mcp</c>: relays MCP between a desktop client on stdin/stdout and the server's <c>/mcp</c>, so every tool,
/// resource and prompt lives once, in the server. Upstream is the SDK's streamable-HTTP client transport, which speaks both
/// protocol eras (initialize, session and GET stream for 2025 clients; per-request <c>_meta</c>, <c>server/discover</c> and
/// the Mcp-Method/Mcp-Name headers for 2026-07-28 ones). Each message is sent on its own task, so a long tool call never
/// holds up a ping or a cancellation. Only JSON-RPC goes to stdout; diagnostics go to stderr.
/// </summary>
internal sealed class McpRelay(CliSession session, TextReader input, TextWriter output, IAnsiConsole diagnostics) : IDisposable
{
    /// <summary>The longest stdin line (one JSON-RPC message) relayed: 4 MiB of text.</summary>
    public const int MaxLineChars = 4 * 1024 * 1024;

    /// <summary>How long answers still on their way are awaited once stdin has ended.</summary>
    private static readonly TimeSpan EndOfInputGrace = TimeSpan.FromSeconds(5);

    private static readonly JsonTypeInfo MessageType = McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcMessage));

    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ConcurrentDictionary<Task, bool> _inFlight = new();

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var endpoint = new Uri(session.ServerAddress.AbsoluteUri.TrimEnd('/') + "/mcp");
        var capture = new JsonRpcErrorCapture(session.CreateHandler());
        using var http = new HttpClient(capture) { Timeout = Timeout.InfiniteTimeSpan };
        Dictionary<string, string>? headers = session.Credentials is { IsLocalAdminToken: false, Token: { } token }
            ? new() { ["Authorization"] = $"Bearer {token}" }
            : null;
        var options = new HttpClientTransportOptions { Endpoint = endpoint, TransportMode = HttpTransportMode.StreamableHttp, AdditionalHeaders = headers, Name = "berth" };
        diagnostics.WriteLine($"berth mcp: relaying stdio to {endpoint} (token from {session.Credentials.TokenSource})");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var upstream = await Upstream.ConnectAsync(options, http, WriteAsync, stop.Token);
        try
        {
            var reader = new StdioLineReader(input, MaxLineChars);
            while (await reader.ReadAsync(cancellationToken) is { } line)
            {
                if (Parse(line) is not { } message)
                {
                    continue;
                }

                // A client that initializes again (after the server forgot its session) starts a fresh upstream session.
                if (message is JsonRpcRequest { Method: RequestMethods.Initialize } && upstream.Transport.SessionId is not null)
                {
                    await upstream.DisposeAsync();
                    upstream = await Upstream.ConnectAsync(options, http, WriteAsync, stop.Token);
                }

                Track(ForwardAsync(upstream.Transport, capture, message, stop.Token));
            }

            // stdin ended: the client is done. Answers already on their way get a moment to arrive (so a piped request is
            // answered), but a long call (a subscription, a slow tool) does not keep the process alive.
            try
            {
                await Task.WhenAll(_inFlight.Keys).WaitAsync(EndOfInputGrace, session.Context.Time, cancellationToken);
            }
            catch (TimeoutException)
            {
                diagnostics.WriteLine($"berth mcp: stdin ended; {_inFlight.Count} request(s) still unanswered were dropped");
            }

            return ExitCodes.Ok;
        }
        finally
        {
            await stop.CancelAsync();
            await upstream.DisposeAsync();
        }
    }

    public void Dispose() => _writeGate.Dispose();

    private JsonRpcMessage? Parse(StdioLine line)
    {
        if (line.IsTooLong)
        {
            Refuse(-32600, $"a message of {line.Length} characters is longer than the {MaxLineChars} berth mcp relays; it was skipped");
            return null;
        }

        if (string.IsNullOrWhiteSpace(line.Text))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(line.Text, MessageType) as JsonRpcMessage
                ?? throw new JsonException("not a JSON-RPC message");
        }
        catch (JsonException exception)
        {
            Refuse(-32700, $"a line on stdin is not a JSON-RPC message ({exception.Message}); it was skipped");
            return null;
        }
    }

    private void Refuse(int code, string message)
    {
        diagnostics.MarkupLineInterpolated($"[red]error:[/] berth mcp: {message}");
        Track(WriteAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = null, ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }.ToJsonString()));
    }

    private async Task ForwardAsync(ModelContextProtocol.Protocol.ITransport transport, JsonRpcErrorCapture capture, JsonRpcMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await transport.SendMessageAsync(message, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            var request = message as JsonRpcRequest;
            if (request is not null && capture.TryTake(request.Id, out var error))
            {
                // The server answered with a JSON-RPC error of its own: the client gets it whole.
                await WriteAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = Id(request.Id), ["error"] = error }.ToJsonString());
                return;
            }

            var failure = RelayFailure.From(exception, session);
            diagnostics.MarkupLineInterpolated($"[red]error:[/] berth mcp: {failure.Message}");
            if (request is not null)
            {
                var detail = new JsonObject { ["code"] = failure.Code, ["message"] = failure.Message };
                await WriteAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = Id(request.Id), ["error"] = detail }.ToJsonString());
            }
        }
    }

    private static JsonNode? Id(RequestId id) => JsonSerializer.SerializeToNode(id, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(RequestId)));

    private async Task WriteAsync(string json)
    {
        await _writeGate.WaitAsync(CancellationToken.None);
        try
        {
            // One message per line, as the stdio transport wants; System.Text.Json never writes a raw newline inside one.
            await output.WriteAsync(json + "\n");
            await output.FlushAsync(CancellationToken.None);
        }
        catch (IOException)
        {
            // stdout closed: the client is gone, and stdin's end follows.
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private void Track(Task task)
    {
        _inFlight[task] = true;
        _ = task.ContinueWith(done => _inFlight.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>One upstream session: the SDK transport and the task copying what it receives to stdout.</summary>
    private sealed class Upstream(ModelContextProtocol.Protocol.ITransport transport, Task pump) : IAsyncDisposable
    {
        public ModelContextProtocol.Protocol.ITransport Transport { get; } = transport;

        public static async Task<Upstream> ConnectAsync(HttpClientTransportOptions options, HttpClient http, Func<string, Task> write, CancellationToken cancellationToken)
        {
            var transport = await new HttpClientTransport(options, http, loggerFactory: null, ownsHttpClient: false).ConnectAsync(cancellationToken);
            return new Upstream(transport, Task.Run(() => PumpAsync(transport, write, cancellationToken), CancellationToken.None));
        }

        public async ValueTask DisposeAsync()
        {
            // Disposing sends DELETE for the session, and completes the reader the pump drains.
            await Transport.DisposeAsync();
            await pump;
        }

        private static async Task PumpAsync(ModelContextProtocol.Protocol.ITransport transport, Func<string, Task> write, CancellationToken cancellationToken)
        {
            try
            {
                await foreach (var message in transport.MessageReader.ReadAllAsync(cancellationToken))
                {
                    await write(JsonSerializer.Serialize(message, MessageType));
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }
    }
}
