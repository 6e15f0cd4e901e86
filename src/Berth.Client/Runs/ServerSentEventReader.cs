using System.Globalization;
using System.Text;

namespace Berth.Client.Runs;

/// <summary>
/// Reads events from a <c>text/event-stream</c> body as the WHATWG rules describe: <c>field: value</c> lines (one space after the colon
/// dropped), several <c>data</c> lines joined by newlines, <c>:</c> comment lines ignored, a blank line ending an event. An event cut
/// off by the end of the stream is dropped; events without data are skipped.
/// </summary>
internal sealed class ServerSentEventReader(TextReader reader)
{
    /// <summary>The next event, or null at the end of the stream.</summary>
    public async Task<ServerSentEvent?> ReadAsync(CancellationToken cancellationToken)
    {
        long? id = null;
        string? type = null;
        StringBuilder? data = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data is not null)
                {
                    return new ServerSentEvent(id, type, data.ToString());
                }

                id = null;
                type = null;
                continue;
            }

            if (line[0] == ':')
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' '))
            {
                value = value[1..];
            }

            switch (field)
            {
                case "data":
                    data = data is null ? new StringBuilder(value) : data.Append('\n').Append(value);
                    break;
                case "event":
                    type = value;
                    break;
                case "id":
                    id = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) ? sequence : null;
                    break;
                default:
                    // "retry" and unknown fields mean nothing to this client.
                    break;
            }
        }

        return null;
    }
}
