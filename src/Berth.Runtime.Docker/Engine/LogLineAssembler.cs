using System.Text;
using Berth.Runtime.Docker.Engine.Models;

namespace Berth.Runtime.Docker.Engine;

/// <summary>
/// Turns chunks of container output into whole lines per stream. A line may span chunks, and a UTF-8
/// character may be split between two chunks. With timestamps on, the engine prefixes every log message;
/// a message longer than the engine's 16 KiB limit arrives in parts that each carry a prefix, so the
/// prefix of a continuation part is dropped to rebuild the line. A line longer than <see cref="MaxLineChars"/> is
/// returned in parts (each with the line's timestamp), so one huge line is never held whole.
/// </summary>
internal sealed class LogLineAssembler(bool timestamps)
{
    /// <summary>The longest line returned whole, in characters: 64 Ki.</summary>
    public const int MaxLineChars = 64 * 1024;

    private readonly Dictionary<OutputKind, Pending> _pending = [];

    /// <summary>Adds a chunk of <paramref name="stream"/>'s bytes and returns the lines it completed.</summary>
    public IReadOnlyList<string> Push(OutputKind stream, ReadOnlySpan<byte> bytes)
    {
        if (!_pending.TryGetValue(stream, out var pending))
        {
            pending = new Pending();
            _pending[stream] = pending;
        }

        var chars = new char[pending.Decoder.GetCharCount(bytes, flush: false)];
        pending.Decoder.GetChars(bytes, chars, flush: false);
        ReadOnlySpan<char> text = chars;
        if (timestamps && pending.Line.Length > 0)
        {
            var space = text.IndexOf(' ');
            if (space > 0 && DockerTimestamps.TryParse(text[..space], out _))
            {
                text = text[(space + 1)..];
            }
        }

        var lines = new List<string>();
        while (true)
        {
            var newline = text.IndexOf('\n');
            if (newline < 0)
            {
                pending.Line.Append(text);
                TakeLongParts(pending.Line, lines);
                break;
            }

            pending.Line.Append(text[..newline]);
            TakeLongParts(pending.Line, lines);
            lines.Add(TakeLine(pending.Line));
            text = text[(newline + 1)..];
        }

        return lines;
    }

    /// <summary>Returns the unterminated last lines once the stream has ended.</summary>
    public IReadOnlyList<(OutputKind Stream, string Line)> Flush()
    {
        var rest = new List<(OutputKind, string)>();
        foreach (var (stream, pending) in _pending)
        {
            var tail = new char[pending.Decoder.GetCharCount([], flush: true)];
            pending.Decoder.GetChars([], tail, flush: true);
            pending.Line.Append(tail);
            if (pending.Line.Length > 0)
            {
                rest.Add((stream, TakeLine(pending.Line)));
            }
        }

        return rest;
    }

    /// <summary>Moves whole parts of a line past the limit to <paramref name="lines"/>, keeping its timestamp on what remains.</summary>
    private void TakeLongParts(StringBuilder line, List<string> lines)
    {
        while (line.Length > MaxLineChars)
        {
            var part = line.ToString(0, MaxLineChars);
            line.Remove(0, MaxLineChars);
            lines.Add(part);
            var space = timestamps ? part.IndexOf(' ', StringComparison.Ordinal) : -1;
            if (space > 0 && DockerTimestamps.TryParse(part.AsSpan(0, space), out _))
            {
                line.Insert(0, part[..(space + 1)]);
            }
        }
    }

    private static string TakeLine(StringBuilder line)
    {
        var length = line.Length > 0 && line[^1] == '\r' ? line.Length - 1 : line.Length;
        var text = line.ToString(0, length);
        line.Clear();
        return text;
    }

    private sealed class Pending
    {
        public Decoder Decoder { get; } = new UTF8Encoding(false).GetDecoder();

        public StringBuilder Line { get; } = new();
    }
}
