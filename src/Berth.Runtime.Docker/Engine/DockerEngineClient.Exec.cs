using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using Berth.Runtime.Docker.Engine.Models;

namespace Berth.Runtime.Docker.Engine;

public sealed partial class DockerEngineClient
{
    /// <summary>Creates an exec instance in a running container and returns its id.</summary>
    public async Task<string> CreateExecAsync(string containerId, ExecCreateRequest request, CancellationToken cancellationToken)
    {
        var response = await PostJsonAsync<IdResponse>(
            $"containers/{EngineQuery.Segment(containerId)}/exec", request, $"create an exec in container '{containerId}'", m => ContainerNotFound(containerId, m), cancellationToken).ConfigureAwait(false);
        return response.Id;
    }

    /// <summary>Starts an exec attached and collects its demultiplexed output until it ends.</summary>
    public async Task<(string Stdout, string Stderr)> StartExecAsync(string execId, CancellationToken cancellationToken)
    {
        var body = new Dictionary<string, bool> { ["Detach"] = false, ["Tty"] = false };
        using var content = System.Net.Http.Json.JsonContent.Create(body, options: DockerJson.Options);
        using var response = await SendAsync(HttpMethod.Post, $"exec/{EngineQuery.Segment(execId)}/start", content, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await ThrowIfFailedAsync(response, $"start exec '{execId}'", null, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var decoders = new Dictionary<OutputKind, Decoder>();
        using var reader = new MultiplexedStreamReader(stream);
        while (await reader.ReadFrameAsync(cancellationToken).ConfigureAwait(false) is { } frame)
        {
            if (!decoders.TryGetValue(frame.Stream, out var decoder))
            {
                decoder = new UTF8Encoding(false).GetDecoder();
                decoders[frame.Stream] = decoder;
            }

            var chars = new char[decoder.GetCharCount(frame.Payload.Span, flush: false)];
            decoder.GetChars(frame.Payload.Span, chars, flush: false);
            (frame.Stream == OutputKind.Stderr ? stderr : stdout).Append(chars);
        }

        return (stdout.ToString(), stderr.ToString());
    }

    /// <summary>Reads an exec's state and exit code.</summary>
    public Task<ExecInspect> InspectExecAsync(string execId, CancellationToken cancellationToken) =>
        GetJsonAsync<ExecInspect>($"exec/{EngineQuery.Segment(execId)}/json", $"inspect exec '{execId}'", null, cancellationToken);

    /// <summary>Runs a command in a running container and returns its output and exit code.</summary>
    public async Task<ExecResult> ExecAsync(string containerId, ExecCreateRequest request, CancellationToken cancellationToken)
    {
        var execId = await CreateExecAsync(containerId, request, cancellationToken).ConfigureAwait(false);
        var (stdout, stderr) = await StartExecAsync(execId, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            // the output stream closes a moment before the engine records the exit code
            var inspect = await InspectExecAsync(execId, cancellationToken).ConfigureAwait(false);
            if (!inspect.Running && inspect.ExitCode is { } exitCode)
            {
                return new ExecResult(exitCode, stdout, stderr);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Extracts a tar stream into a directory of the container (<c>PUT /containers/{id}/archive</c>).</summary>
    public async Task PutArchiveAsync(string containerId, string directory, Stream tar, CancellationToken cancellationToken)
    {
        var path = new EngineQuery($"containers/{EngineQuery.Segment(containerId)}/archive").Add("path", directory).ToString();
        using var content = TarContent(tar);
        using var response = await SendAsync(HttpMethod.Put, path, content, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        await ThrowIfFailedAsync(response, $"copy files into '{directory}' of container '{containerId}'", null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether <paramref name="path"/> exists in the container's filesystem (<c>HEAD /containers/{id}/archive</c>); works on a
    /// container that was created but not started. False also when the container itself is gone.
    /// </summary>
    public async Task<bool> PathExistsAsync(string containerId, string path, CancellationToken cancellationToken)
    {
        var query = new EngineQuery($"containers/{EngineQuery.Segment(containerId)}/archive").Add("path", path).ToString();
        var status = await SendExpectingNoBodyAsync(HttpMethod.Head, query, null, $"look up '{path}' in container '{containerId}'", null, cancellationToken, HttpStatusCode.NotFound).ConfigureAwait(false);
        return status != HttpStatusCode.NotFound;
    }

    /// <summary>Streams a file or directory of the container as a tar to <paramref name="readTar"/> (<c>GET /containers/{id}/archive</c>).</summary>
    public async Task GetArchiveAsync(string containerId, string path, Func<Stream, CancellationToken, Task> readTar, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readTar);
        var query = new EngineQuery($"containers/{EngineQuery.Segment(containerId)}/archive").Add("path", path).ToString();
        using var response = await SendAsync(HttpMethod.Get, query, null, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await ThrowIfFailedAsync(response, $"copy '{path}' out of container '{containerId}'", null, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await readTar(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Takes one resource-usage sample of a running container.</summary>
    public Task<ContainerStats> GetStatsAsync(string containerId, CancellationToken cancellationToken)
    {
        var path = new EngineQuery($"containers/{EngineQuery.Segment(containerId)}/stats").Add("stream", false).Add("one-shot", true).ToString();
        return GetJsonAsync<ContainerStats>(path, $"read stats of container '{containerId}'", m => ContainerNotFound(containerId, m), cancellationToken);
    }

    /// <summary>Streams engine events matching <paramref name="query"/> until cancelled (or until <see cref="EventsQuery.Until"/>).</summary>
    public async IAsyncEnumerable<EngineEvent> GetEventsAsync(EventsQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var path = new EngineQuery("events")
            .AddFilters(query.Filters)
            .Add("since", query.Since is { } since ? DockerTimestamps.ToUnix(since) : null)
            .Add("until", query.Until is { } until ? DockerTimestamps.ToUnix(until) : null)
            .ToString();
        using var response = await SendAsync(HttpMethod.Get, path, null, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await ThrowIfFailedAsync(response, "stream events", null, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var engineEvent in JsonLines.ReadAsync<EngineEvent>(stream, cancellationToken).ConfigureAwait(false))
            {
                yield return engineEvent;
            }
        }
    }
}
