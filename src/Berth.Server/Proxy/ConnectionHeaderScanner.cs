using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Berth.Server.Proxy;

/// <summary>
/// A Kestrel connection middleware that reads the <c>Connection</c> header lines of HTTP/1.x requests from the bytes the
/// client sends, before Kestrel parses (and normalises) them, and records the header names they list in a
/// <see cref="ConnectionNamedHeaders"/> feature of the connection. It only looks; the bytes reach Kestrel unchanged.
/// A line that merely looks like a header inside a body adds names too, which at worst drops a header of the same client.
/// </summary>
internal static class ConnectionHeaderScanner
{
    /// <summary>Adds the scanner to an endpoint's connection pipeline, after TLS when the endpoint has it.</summary>
    public static void Add(ListenOptions listen) =>
        listen.Use(next => connection =>
        {
            var named = new ConnectionNamedHeaders();
            connection.Features.Set(named);
            connection.Transport = new ScanningPipe(connection.Transport, named);
            return next(connection);
        });

    private sealed class ScanningPipe(IDuplexPipe inner, ConnectionNamedHeaders named) : IDuplexPipe
    {
        public PipeReader Input { get; } = new ScanningReader(inner.Input, named);

        public PipeWriter Output => inner.Output;
    }

    private sealed class ScanningReader(PipeReader inner, ConnectionNamedHeaders named) : PipeReader
    {
        private static readonly byte[] Name = "connection:"u8.ToArray();

        private ReadOnlySequence<byte> _last;

        // How many bytes at the start of the next buffer were already scanned (the part Kestrel did not consume).
        private long _scanned;

        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            var result = await inner.ReadAsync(cancellationToken);
            Scan(result.Buffer);
            return result;
        }

        public override bool TryRead(out ReadResult result)
        {
            if (!inner.TryRead(out result))
            {
                return false;
            }

            Scan(result.Buffer);
            return true;
        }

        public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
        {
            _scanned = Math.Max(0, _scanned - _last.Slice(_last.Start, consumed).Length);
            _last = default;
            inner.AdvanceTo(consumed, examined);
        }

        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        // Finds "\nConnection:" lines; a line not complete yet is scanned again, from its start, on the next read.
        private void Scan(ReadOnlySequence<byte> buffer)
        {
            _last = buffer;
            var reader = new SequenceReader<byte>(buffer);
            reader.Advance(Math.Min(_scanned, buffer.Length));
            var resumeAt = buffer.Length;
            Span<byte> head = stackalloc byte[Name.Length];
            while (reader.TryAdvanceTo((byte)'\n', advancePastDelimiter: false))
            {
                var lineStart = reader.Consumed;
                reader.Advance(1);
                if (reader.Remaining < Name.Length)
                {
                    resumeAt = lineStart;
                    break;
                }

                reader.TryCopyTo(head);
                if (!Ascii.EqualsIgnoreCase(head, Name))
                {
                    continue;
                }

                reader.Advance(Name.Length);
                if (!reader.TryReadTo(out ReadOnlySequence<byte> value, (byte)'\n', advancePastDelimiter: false))
                {
                    resumeAt = lineStart;
                    break;
                }

                Record(value);
            }

            _scanned = resumeAt == buffer.Length ? buffer.Length : resumeAt;
        }

        private void Record(ReadOnlySequence<byte> value)
        {
            var text = Encoding.Latin1.GetString(value);
            foreach (var token in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                named.Add(token);
            }
        }
    }
}
