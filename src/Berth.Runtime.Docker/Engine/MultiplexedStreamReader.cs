using System.Buffers;
using System.Buffers.Binary;
using Berth.Runtime.Docker.Engine.Models;

namespace Berth.Runtime.Docker.Engine;

/// <summary>
/// Reads the engine's multiplexed stream (logs and exec output of containers without a TTY): frames of an
/// 8-byte header (stream type, 3 zero bytes, big-endian payload length) followed by the payload.
/// </summary>
internal sealed class MultiplexedStreamReader(Stream stream) : IDisposable
{
    private readonly byte[] _header = new byte[8];
    private byte[] _payload = ArrayPool<byte>.Shared.Rent(16 * 1024);

    /// <summary>Reads the next frame; the payload stays valid until the next call. Null at the end of the stream.</summary>
    public async ValueTask<(OutputKind Stream, ReadOnlyMemory<byte> Payload)?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        var read = await stream.ReadAtLeastAsync(_header, _header.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read < _header.Length)
        {
            return null;
        }

        var length = checked((int)BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(4)));
        if (length > _payload.Length)
        {
            ArrayPool<byte>.Shared.Return(_payload);
            _payload = ArrayPool<byte>.Shared.Rent(length);
        }

        var payload = _payload.AsMemory(0, length);
        if (await stream.ReadAtLeastAsync(payload, length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) < length)
        {
            return null;
        }

        return ((OutputKind)_header[0], payload);
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_payload);
        _payload = [];
    }
}
