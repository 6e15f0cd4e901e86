using System.Buffers;
using System.Text;
using Berth.Runtime.Docker.Engine.Models;

namespace Berth.Runtime.Docker.Steps;

/// <summary>
/// Collects a step's output as it streams: standard output verbatim up to <see cref="StdoutLimit"/>, whole lines of both
/// streams for progress, and the last <see cref="TailLines"/> lines for the failure message. A line longer than
/// <see cref="MaxLineChars"/> is reported in parts, so a program that never writes a newline cannot grow memory.
/// </summary>
internal sealed class StepOutputCollector
{
    public const int StdoutLimit = 1024 * 1024;
    public const int TailLines = 40;
    public const int MaxLineChars = 16 * 1024;

    private readonly ArrayBufferWriter<byte> _stdout = new();
    private readonly Queue<string> _tail = new();
    private readonly LineSplitter _out = new();
    private readonly LineSplitter _err = new();
    private bool _stdoutCut;

    /// <summary>Adds a chunk of <paramref name="stream"/> and returns the lines it completed.</summary>
    public List<string> Push(OutputKind stream, ReadOnlySpan<byte> bytes)
    {
        var lines = new List<string>();
        if (stream == OutputKind.Stdout)
        {
            var kept = Math.Min(StdoutLimit - _stdout.WrittenCount, bytes.Length);
            _stdout.Write(bytes[..kept]);
            _stdoutCut |= kept < bytes.Length;
            _out.Push(bytes, lines);
        }
        else if (stream == OutputKind.Stderr)
        {
            _err.Push(bytes, lines);
        }

        Remember(lines);
        return lines;
    }

    /// <summary>Returns the unterminated last lines once the output has ended.</summary>
    public List<string> Complete()
    {
        var lines = new List<string>();
        _out.Flush(lines);
        _err.Flush(lines);
        Remember(lines);
        return lines;
    }

    /// <summary>Standard output as written (UTF-8); when cut, a character split by the cut is dropped.</summary>
    public string Stdout()
    {
        var decoder = new UTF8Encoding(false).GetDecoder();
        var bytes = _stdout.WrittenSpan;
        var chars = new char[decoder.GetCharCount(bytes, flush: !_stdoutCut)];
        var count = decoder.GetChars(bytes, chars, flush: !_stdoutCut);
        return new string(chars, 0, count);
    }

    /// <summary>The last lines of both streams, one per line.</summary>
    public string Tail() => string.Join('\n', _tail);

    private void Remember(List<string> lines)
    {
        foreach (var line in lines)
        {
            _tail.Enqueue(line);
            if (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }
        }
    }

    private sealed class LineSplitter
    {
        private readonly Decoder _decoder = new UTF8Encoding(false).GetDecoder();
        private readonly StringBuilder _line = new();

        public void Push(ReadOnlySpan<byte> bytes, List<string> lines)
        {
            var chars = new char[_decoder.GetCharCount(bytes, flush: false)];
            var count = _decoder.GetChars(bytes, chars, flush: false);
            ReadOnlySpan<char> text = chars.AsSpan(0, count);
            while (!text.IsEmpty)
            {
                var newline = text.IndexOf('\n');
                var take = newline < 0 ? text.Length : newline;
                var room = MaxLineChars - _line.Length;
                if (take > room)
                {
                    _line.Append(text[..room]);
                    lines.Add(Take());
                    text = text[room..];
                    continue;
                }

                _line.Append(text[..take]);
                if (newline < 0)
                {
                    break;
                }

                lines.Add(Take());
                text = text[(newline + 1)..];
            }
        }

        public void Flush(List<string> lines)
        {
            var rest = new char[_decoder.GetCharCount([], flush: true)];
            _decoder.GetChars([], rest, flush: true);
            _line.Append(rest);
            if (_line.Length > 0)
            {
                lines.Add(Take());
            }
        }

        private string Take()
        {
            var length = _line.Length > 0 && _line[^1] == '\r' ? _line.Length - 1 : _line.Length;
            var text = _line.ToString(0, length);
            _line.Clear();
            return text;
        }
    }
}
