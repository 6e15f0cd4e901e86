using System.Buffers;
using System.Runtime.CompilerServices;
using Berth.Runtime.Docker.Engine.Models;

namespace Berth.Runtime.Docker.Engine;

public sealed partial class DockerEngineClient
{
    /// <summary>
    /// Streams a container's log lines, oldest first, demultiplexing stdout and stderr (or reading the raw
    /// stream of a TTY container). With <see cref="LogsQuery.Follow"/> the sequence ends when the container
    /// stops or is removed. A missing container throws with <see cref="DockerEngineException.IsNotFound"/>.
    /// </summary>
    public async IAsyncEnumerable<ContainerLogLine> GetLogsAsync(string id, LogsQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var container = await InspectContainerAsync(id, cancellationToken).ConfigureAwait(false);
        var lines = ReadLogsAsync($"containers/{EngineQuery.Segment(id)}/logs", query, container.Config.Tty, $"read logs of container '{id}'", m => ContainerNotFound(id, m), cancellationToken);
        await foreach (var line in lines.ConfigureAwait(false))
        {
            yield return line;
        }
    }

    /// <summary>
    /// Streams the log lines of every task of a Swarm service, whichever node ran them, oldest first. With
    /// <see cref="LogsQuery.Follow"/> the sequence stays open until the service is removed or the caller cancels.
    /// </summary>
    public IAsyncEnumerable<ContainerLogLine> GetServiceLogsAsync(string id, LogsQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ReadLogsAsync($"services/{EngineQuery.Segment(id)}/logs", query, tty: false, $"read logs of service '{id}'", m => ServiceNotFound(id, m), cancellationToken);
    }

    private async IAsyncEnumerable<ContainerLogLine> ReadLogsAsync(
        string resource, LogsQuery query, bool tty, string what, Func<string, DockerEngineException> onNotFound, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var path = new EngineQuery(resource)
            .Add("stdout", query.Stdout)
            .Add("stderr", query.Stderr)
            .Add("timestamps", true)
            .Add("follow", query.Follow)
            .Add("tail", query.Tail?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "all")
            .Add("since", query.Since is { } since ? DockerTimestamps.ToUnix(since) : null)
            .ToString();

        using var response = await SendAsync(HttpMethod.Get, path, null, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await ThrowIfFailedAsync(response, what, onNotFound, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var lines = tty ? ReadRawAsync(stream, cancellationToken) : ReadMultiplexedAsync(stream, cancellationToken);
            await foreach (var (source, raw) in lines.ConfigureAwait(false))
            {
                yield return ParseLogLine(source, raw);
            }
        }
    }

    /// <summary>Splits <c>2024-05-01T10:00:00.123456789Z text</c> into its time and text.</summary>
    internal static ContainerLogLine ParseLogLine(OutputKind source, string raw)
    {
        var space = raw.IndexOf(' ', StringComparison.Ordinal);
        var stamp = space < 0 ? raw : raw[..space];
        return DockerTimestamps.TryParse(stamp, out var time)
            ? new ContainerLogLine(time, source, space < 0 ? "" : raw[(space + 1)..])
            : new ContainerLogLine(DateTimeOffset.UnixEpoch, source, raw);
    }

    internal static async IAsyncEnumerable<(OutputKind Stream, string Line)> ReadMultiplexedAsync(
        Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var assembler = new LogLineAssembler(timestamps: true);
        using var reader = new MultiplexedStreamReader(stream);
        while (await reader.ReadFrameAsync(cancellationToken).ConfigureAwait(false) is { } frame)
        {
            foreach (var line in assembler.Push(frame.Stream, frame.Payload.Span))
            {
                yield return (frame.Stream, line);
            }
        }

        foreach (var rest in assembler.Flush())
        {
            yield return rest;
        }
    }

    private static async IAsyncEnumerable<(OutputKind Stream, string Line)> ReadRawAsync(
        Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var assembler = new LogLineAssembler(timestamps: true);
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                foreach (var line in assembler.Push(OutputKind.Stdout, buffer.AsSpan(0, read)))
                {
                    yield return (OutputKind.Stdout, line);
                }
            }

            foreach (var rest in assembler.Flush())
            {
                yield return rest;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
