using System.Text;
using Berth.Runtime.Docker.Engine.Models;

namespace Berth.Runtime.Docker.Engine;

public sealed partial class DockerEngineClient
{
    // RFC 3339 with nanoseconds and an offset is at most 35 characters
    private const int MaxTimestampLength = 40;

    /// <summary>
    /// Reads the raw output of a container created without a TTY, one log entry at a time (<c>GET /containers/{id}/logs</c>
    /// with timestamps): its stream, the engine's time text (RFC 3339, fixed nanoseconds, so later entries sort after earlier
    /// ones) and its bytes without the time prefix, valid only during the call to <paramref name="onEntry"/>. With
    /// <paramref name="follow"/> it returns once the container has stopped (or at once when it is not running); entries logged
    /// before <paramref name="since"/> are left out. A missing container throws with <see cref="DockerEngineException.IsNotFound"/>.
    /// </summary>
    public async Task ReadOutputAsync(
        string id,
        bool follow,
        DateTimeOffset? since,
        Func<OutputKind, string, ReadOnlyMemory<byte>, CancellationToken, ValueTask> onEntry,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onEntry);
        var path = new EngineQuery($"containers/{EngineQuery.Segment(id)}/logs")
            .Add("stdout", true)
            .Add("stderr", true)
            .Add("timestamps", true)
            .Add("follow", follow)
            .Add("since", since is { } after ? DockerTimestamps.ToUnix(after) : null)
            .ToString();
        using var response = await SendAsync(HttpMethod.Get, path, null, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await ThrowIfFailedAsync(response, $"read the output of container '{id}'", m => ContainerNotFound(id, m), cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var reader = new MultiplexedStreamReader(stream);
            while (await reader.ReadFrameAsync(cancellationToken).ConfigureAwait(false) is { } frame)
            {
                // the engine writes each log entry as one frame, its time first
                var payload = frame.Payload;
                var space = payload.Span[..Math.Min(payload.Length, MaxTimestampLength)].IndexOf((byte)' ');
                var time = space > 0 ? Encoding.ASCII.GetString(payload.Span[..space]) : "";
                await onEntry(frame.Stream, time, space > 0 ? payload[(space + 1)..] : payload, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
