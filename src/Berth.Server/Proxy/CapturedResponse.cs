using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Berth.Server.Proxy;

/// <summary>
/// The response side of a proxy call made in-process (<see cref="InProcessProxy"/>): it behaves like a connection's response
/// (it starts at the first write, running the OnStarting callbacks, and then reports <see cref="HasStarted"/>, so the proxy
/// takes the same paths as for a client) and keeps the first <c>limit</c> bytes of the body, counting the rest.
/// <see cref="Full"/> completes once more than that arrived, so the caller can stop waiting for a stream with no end.
/// </summary>
internal sealed class CapturedResponse : IHttpResponseFeature, IHttpResponseBodyFeature
{
    private readonly List<(Func<object, Task> Callback, object State)> _onStarting = [];
    private readonly TaskCompletionSource _full = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ArrayBufferWriter<byte> _kept = new();
    private readonly int _limit;
    private readonly Lock _gate = new();
    private PipeWriter? _writer;

    public CapturedResponse(int limit)
    {
        _limit = limit;
        Stream = new CaptureStream(this);
    }

    public int StatusCode { get; set; } = StatusCodes.Status200OK;

    public string? ReasonPhrase { get; set; }

    public IHeaderDictionary Headers { get; set; } = new HeaderDictionary();

    [Obsolete("Use IHttpResponseBodyFeature.Stream instead.")]
    public Stream Body
    {
        get => Stream;
        set => throw new NotSupportedException("The body of an in-process proxy call cannot be replaced.");
    }

    public bool HasStarted { get; private set; }

    public Stream Stream { get; }

    public PipeWriter Writer => _writer ??= PipeWriter.Create(Stream, new StreamPipeWriterOptions(leaveOpen: true));

    /// <summary>Completes once the body has grown past the limit.</summary>
    public Task Full => _full.Task;

    /// <summary>Every byte the body had, kept or not.</summary>
    public long Length { get; private set; }

    /// <summary>The body up to the limit.</summary>
    public byte[] Kept()
    {
        lock (_gate)
        {
            return _kept.WrittenSpan.ToArray();
        }
    }

    public void OnStarting(Func<object, Task> callback, object state) => _onStarting.Add((callback, state));

    public void OnCompleted(Func<object, Task> callback, object state)
    {
        // Nothing is completed in the sense of a connection: the call ends when the proxy's handler returns.
    }

    public void DisableBuffering()
    {
        // Nothing is buffered: every write goes straight to the capture.
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (HasStarted)
        {
            return;
        }

        HasStarted = true;
        for (var i = _onStarting.Count - 1; i >= 0; i--)
        {
            await _onStarting[i].Callback(_onStarting[i].State);
        }
    }

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        SendFileFallback.SendFileAsync(Stream, path, offset, count, cancellationToken);

    public async Task CompleteAsync()
    {
        await StartAsync();
        if (_writer is not null)
        {
            await _writer.FlushAsync();
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            Length += bytes.Length;
            var room = Math.Max(0, _limit - _kept.WrittenCount);
            _kept.Write(bytes[..Math.Min(room, bytes.Length)]);
        }

        if (Length > _limit)
        {
            _full.TrySetResult();
        }
    }

    /// <summary>A write-only stream that starts the response and appends to the capture; writes past the limit are counted and dropped.</summary>
    private sealed class CaptureStream(CapturedResponse owner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => owner.StartAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await owner.StartAsync(cancellationToken);
            owner.Append(buffer.Span);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
