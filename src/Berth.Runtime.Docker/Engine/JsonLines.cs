using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Berth.Runtime.Docker.Engine;

/// <summary>Reads the engine's streams of JSON objects, one per line (build and import progress, events).</summary>
internal static class JsonLines
{
    public static async IAsyncEnumerable<T> ReadAsync<T>(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var value = JsonSerializer.Deserialize<T>(line, DockerJson.Options);
            if (value is not null)
            {
                yield return value;
            }
        }
    }
}
