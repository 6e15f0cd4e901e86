using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Berth.Core.Runtime;
using Berth.Core.Serialization;

namespace Berth.Server.Exec;

/// <summary>
/// Carries one exec session over a WebSocket with the frame protocol of <see cref="ExecChannel"/>: stdin and resizes in, stdout,
/// stderr and then the exit code (or an error) out. Ends when the command's output ends (sending its exit code), when the client
/// goes away, or when neither side sent a frame for the idle timeout. Never logs or stores what flows through.
/// </summary>
internal sealed class ExecRelay(WebSocket socket, IExecSession session, TimeSpan idleTimeout, TimeProvider time) : IDisposable
{
    /// <summary>The largest message a client may send (a chunk of input or a resize).</summary>
    public const int MaxMessageBytes = 64 * 1024;

    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _send = new(1, 1);

    /// <summary>Runs the session to its end; returns the exit code, or null when it ended otherwise.</summary>
    /// <remarks>
    /// The pumps never see the idle timer: cancelling a pending WebSocket receive aborts the socket, and the idle error must
    /// still be sent on it. The timer is a third task raced against them instead.
    /// </remarks>
    public async Task<int?> RunAsync(CancellationToken aborted)
    {
        using var idle = new CancellationTokenSource(idleTimeout, time);
        using var pumps = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var idleFired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var idleRegistration = idle.Token.Register(() => idleFired.TrySetResult());
        void Touch() => idle.CancelAfter(idleTimeout);

        var input = PumpInputAsync(Touch, pumps.Token);
        var output = PumpOutputAsync(Touch, pumps.Token);
        try
        {
            var first = await Task.WhenAny(input, output, idleFired.Task);
            if (first == output && output.IsCompletedSuccessfully)
            {
                using var exitWait = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                exitWait.CancelAfter(ExitWait);
                var exitCode = await session.WaitForExitAsync(exitWait.Token);
                await SendJsonAsync(ExecChannel.Exit, new ExecExit(exitCode), aborted);
                await CloseAsync(WebSocketCloseStatus.NormalClosure, "exited", input);
                return exitCode;
            }

            if (first == idleFired.Task && !aborted.IsCancellationRequested)
            {
                await SendJsonAsync(ExecChannel.Error, new ExecError(
                    Problems.Problems.ExecIdleType,
                    "Exec session idle",
                    $"Nothing was sent either way for {Core.Specs.Duration.Format(idleTimeout)}, so the session was closed (the command may go on running). An operator can change the limit with the setting {ExecSettings.Section}:IdleTimeout."), aborted);
                await CloseAsync(WebSocketCloseStatus.PolicyViolation, "idle", input);
            }
            else if (first == output && output.Exception?.InnerException is RuntimeException failure && !aborted.IsCancellationRequested)
            {
                await SendJsonAsync(ExecChannel.Error, new ExecError(Problems.Problems.BadGatewayType, "Exec failed", failure.Message), aborted);
                await CloseAsync(WebSocketCloseStatus.InternalServerError, "failed", input);
            }

            return null;
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or RuntimeException)
        {
            // the client went away or the engine failed while the end was being sent: nothing more can be said
            return null;
        }
        finally
        {
            await pumps.CancelAsync();
            await Task.WhenAll(Quietly(input), Quietly(output));
        }
    }

    public void Dispose() => _send.Dispose();

    private async Task PumpInputAsync(Action touch, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxMessageBytes + 1);
        var inputGone = false;
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult received;
                do
                {
                    if (length > MaxMessageBytes)
                    {
                        await CloseAsync(WebSocketCloseStatus.MessageTooBig, $"messages are at most {MaxMessageBytes} bytes", null);
                        return;
                    }

                    received = await socket.ReceiveAsync(buffer.AsMemory(length, MaxMessageBytes + 1 - length), ct);
                    length += received.Count;
                }
                while (!received.EndOfMessage && received.MessageType != WebSocketMessageType.Close);

                if (received.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                touch();
                if (length == 0 || received.MessageType != WebSocketMessageType.Binary)
                {
                    await CloseAsync(WebSocketCloseStatus.InvalidMessageType, "binary messages only, the first byte the channel", null);
                    return;
                }

                var payload = buffer.AsMemory(1, length - 1);
                switch ((ExecChannel)buffer[0])
                {
                    case ExecChannel.Stdin when payload.IsEmpty:
                        session.CloseInput();
                        break;
                    case ExecChannel.Stdin when inputGone:
                        break;
                    case ExecChannel.Stdin:
                        try
                        {
                            await session.WriteInputAsync(payload, ct);
                        }
                        catch (IOException)
                        {
                            // the command exited (or closed its input) before reading it all: drop the rest, its exit code is still to come
                            inputGone = true;
                        }

                        break;
                    case ExecChannel.Resize:
                        if (ReadResize(payload.Span) is { IsValid: true } size)
                        {
                            await session.ResizeAsync(size, ct);
                        }

                        break;
                    default:
                        await CloseAsync(WebSocketCloseStatus.ProtocolError, $"unknown channel {buffer[0]}", null);
                        return;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task PumpOutputAsync(Action touch, CancellationToken ct)
    {
        var frame = ArrayPool<byte>.Shared.Rent(MaxMessageBytes + 1);
        try
        {
            await foreach (var chunk in session.ReadOutputAsync(ct))
            {
                touch();
                var channel = chunk.Source == LogSource.Stderr ? ExecChannel.Stderr : ExecChannel.Stdout;
                for (var offset = 0; offset < chunk.Data.Length; offset += MaxMessageBytes)
                {
                    var part = chunk.Data.Slice(offset, Math.Min(MaxMessageBytes, chunk.Data.Length - offset));
                    frame[0] = (byte)channel;
                    part.CopyTo(frame.AsMemory(1));
                    await SendAsync(frame.AsMemory(0, part.Length + 1), ct);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    private static TerminalSize? ReadResize(ReadOnlySpan<byte> payload)
    {
        try
        {
            return JsonSerializer.Deserialize<ExecResize>(payload, BerthJson.Options) is { } resize ? new TerminalSize(resize.Rows, resize.Cols) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task SendJsonAsync<T>(ExecChannel channel, T payload, CancellationToken ct)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(payload, BerthJson.Options);
        var message = new byte[json.Length + 1];
        message[0] = (byte)channel;
        json.CopyTo(message.AsSpan(1));
        await SendAsync(message, ct);
    }

    private async Task SendAsync(ReadOnlyMemory<byte> message, CancellationToken ct)
    {
        await _send.WaitAsync(ct);
        try
        {
            await socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, ct);
        }
        finally
        {
            _send.Release();
        }
    }

    /// <summary>Sends the close and waits a little for the client's (read by the input pump), so the close handshake completes.</summary>
    private async Task CloseAsync(WebSocketCloseStatus status, string reason, Task? input)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var bounded = new CancellationTokenSource(CloseWait, time);
        await _send.WaitAsync(bounded.Token);
        try
        {
            await socket.CloseOutputAsync(status, reason, bounded.Token);
        }
        finally
        {
            _send.Release();
        }

        if (input is not null)
        {
            try
            {
                await Quietly(input).WaitAsync(CloseWait, time, CancellationToken.None);
            }
            catch (TimeoutException)
            {
                // a client that does not answer the close is dropped with the connection
            }
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or RuntimeException)
        {
            // the session is over either way; how a pump stopped does not matter now
        }
    }
}
