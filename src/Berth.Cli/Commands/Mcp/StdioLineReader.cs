using System.Text;

namespace Berth.Cli.Commands.Mcp;

/// <summary>One line from stdin: its text, or only its length when it was longer than the reader's bound.</summary>
internal readonly record struct StdioLine(string? Text, long Length)
{
    public bool IsTooLong => Text is null;
}

/// <summary>
/// Reads newline-delimited JSON-RPC messages from stdin without ever holding more than <c>maxChars</c> of one line: the
/// MCP stdio transport puts one message on each line, and a client that never sends a newline must not grow memory without
/// bound. A longer line is skipped up to its newline and reported as too long, so the next message is read normally.
/// </summary>
internal sealed class StdioLineReader(TextReader reader, int maxChars)
{
    private readonly char[] _buffer = new char[16 * 1024];
    private readonly StringBuilder _line = new();
    private int _start;
    private int _end;
    private bool _ended;

    /// <summary>The next line without its line ending; null at the end of input.</summary>
    public async ValueTask<StdioLine?> ReadAsync(CancellationToken cancellationToken)
    {
        _line.Clear();
        long length = 0;
        var tooLong = false;
        while (true)
        {
            if (_start == _end)
            {
                if (_ended)
                {
                    return null;
                }

                // Console.In reads synchronously; WaitAsync lets Ctrl+C and SIGTERM end the wait all the same.
                _end = await reader.ReadAsync(_buffer.AsMemory(), cancellationToken).AsTask().WaitAsync(cancellationToken);
                _start = 0;
                if (_end == 0)
                {
                    _ended = true;
                    return length == 0 ? null : Line(length, tooLong);
                }
            }

            var pending = _buffer.AsSpan(_start, _end - _start);
            var newline = pending.IndexOf('\n');
            var chunk = newline < 0 ? pending : pending[..newline];
            length += chunk.Length;
            tooLong |= length > maxChars;
            if (!tooLong)
            {
                _line.Append(chunk);
            }

            _start += chunk.Length + (newline < 0 ? 0 : 1);
            if (newline >= 0)
            {
                return Line(length, tooLong);
            }
        }
    }

    private StdioLine Line(long length, bool tooLong)
    {
        if (tooLong)
        {
            _line.Clear();
            return new StdioLine(null, length);
        }

        if (_line.Length > 0 && _line[^1] == '\r')
        {
            _line.Length--;
        }

        return new StdioLine(_line.ToString(), length);
    }
}
