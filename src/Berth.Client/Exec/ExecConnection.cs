using System.Net.WebSockets;
using System.Text.Json;
using Berth.Core.Runtime;

namespace Berth.Client.Exec;

/// <summary>
/// An open exec session (<c>/api/v1/agents/{name}/exec</c>): read the command's output with <see cref="ReadAsync"/> until an
/// <see cref="ExecChannel.Exit"/> or <see cref="ExecChannel.Error"/> frame (or null: the server went away); write its input with
/// <see cref="WriteInputAsync"/> and end it with <see cref="CloseInputAsync"/>. Reads from one task and writes from another are
/// fine; writes are serialised.
/// </summary>
public sealed class ExecConnection : IAsyncDisposable
{
    /// <summary>The largest message sent: the server refuses larger ones.</summary>
    public const int MaxMessageBytes = 64 * 1024;

    private readonly ClientWebSocket _socket;
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly byte[] _receive = new byte[MaxMessageBytes + 1];
    private readonly byte[] _outgoing = new byte[MaxMessageBytes + 1];

    internal ExecConnection(ClientWebSocket socket) => _socket = socket;

    /// <summary>The next frame from the server; null when the connection closed without an exit code or error.</summary>
    public async Task<ExecFrame?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var length = 0;
            ValueWebSocketReceiveResult received;
            try
            {
                do
                {
                    if (length == _receive.Length)
                    {
                        throw new InvalidDataException($"The server sent an exec message over {MaxMessageBytes} bytes.");
                    }

                    received = await _socket.ReceiveAsync(_receive.AsMemory(length), cancellationToken);
                    length += received.Count;
                }
                while (!received.EndOfMessage);
            }
            catch (WebSocketException)
            {
                return null;
            }

            if (received.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            if (length == 0)
            {
                continue;
            }

            var channel = (ExecChannel)_receive[0];
            var payload = _receive.AsMemory(1, length - 1);
            return channel switch
            {
                ExecChannel.Exit => new ExecFrame(channel, default, ExitCode: JsonSerializer.Deserialize(payload.Span, BerthClientJson.TypeInfo<ExecExit>())?.ExitCode),
                ExecChannel.Error => new ExecFrame(channel, default, Error: JsonSerializer.Deserialize(payload.Span, BerthClientJson.TypeInfo<ExecError>())),
                _ => new ExecFrame(channel, payload),
            };
        }
    }

    /// <summary>Sends bytes to the command's standard input, in messages of at most <see cref="MaxMessageBytes"/>.</summary>
    public async Task WriteInputAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        for (var offset = 0; offset < data.Length; offset += MaxMessageBytes)
        {
            var part = data.Slice(offset, Math.Min(MaxMessageBytes, data.Length - offset));
            await SendAsync(ExecChannel.Stdin, part, cancellationToken);
        }
    }

    /// <summary>Closes the command's standard input (it reads end of file).</summary>
    public Task CloseInputAsync(CancellationToken cancellationToken) => SendAsync(ExecChannel.Stdin, ReadOnlyMemory<byte>.Empty, cancellationToken);

    /// <summary>Tells the server the terminal's new size (ignored without a TTY).</summary>
    public Task ResizeAsync(int rows, int columns, CancellationToken cancellationToken) =>
        SendAsync(ExecChannel.Resize, JsonSerializer.SerializeToUtf8Bytes(new ExecResize(rows, columns), BerthClientJson.TypeInfo<ExecResize>()), cancellationToken);

    /// <summary>Closes the session (politely when it is still open).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", bounded.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // the server is gone already
            }
        }

        _socket.Dispose();
        _send.Dispose();
    }

    private async Task SendAsync(ExecChannel channel, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await _send.WaitAsync(cancellationToken);
        try
        {
            _outgoing[0] = (byte)channel;
            payload.CopyTo(_outgoing.AsMemory(1));
            await _socket.SendAsync(_outgoing.AsMemory(0, payload.Length + 1), WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _send.Release();
        }
    }
}
