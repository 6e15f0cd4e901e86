using System.Net.Sockets;

namespace Berth.Runtime.Docker.Engine;

/// <summary>
/// The raw connection an attached exec runs over once the engine switched protocols: what is written reaches the command's
/// standard input, what is read is its output (multiplexed without a TTY, raw with one). Its own socket, not HttpClient's
/// pooled one, because ending the input needs a half-close (<see cref="CloseInput"/>), which the engine reads as end of file.
/// </summary>
public sealed class HijackedConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private int _inputClosed;

    internal HijackedConnection(Socket socket)
    {
        _socket = socket;
        Stream = new NetworkStream(socket, ownsSocket: false);
    }

    /// <summary>Reads the output and writes the input.</summary>
    public Stream Stream { get; }

    /// <summary>Shuts the sending side, so the command reading standard input sees end of file. Idempotent.</summary>
    public void CloseInput()
    {
        if (Interlocked.Exchange(ref _inputClosed, 1) == 0)
        {
            try
            {
                _socket.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException)
            {
                // the engine closed the connection already: nothing left to end
            }
            catch (ObjectDisposedException)
            {
                // disposed concurrently: nothing left to end
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Stream.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
    }
}
