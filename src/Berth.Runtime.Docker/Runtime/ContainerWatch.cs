using System.Collections.Concurrent;
using System.Text.Json;
using Berth.Core.Runtime;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Docker.Runtime;

/// <summary>
/// What the engine runs for this server, kept current by the engine's <c>GET /events</c> stream (containers labelled as
/// Berth's and this server's) instead of listing and inspecting every container on each reconciler pass: with hundreds of
/// agents that was hundreds of engine calls a second. One full list starts it and follows every break of the stream
/// (engine restart, dropped socket), so nothing that happened while it was not listening is missed; the stream itself
/// starts a little before that list, and replayed events are harmless because each one is answered by inspecting the
/// container as it is now.
/// </summary>
internal sealed class ContainerWatch : IDisposable
{
    /// <summary>The stream replays this much from before the list, so an event between the list and the stream's start is still seen.</summary>
    private static readonly TimeSpan ReplayMargin = TimeSpan.FromSeconds(2);

    private static readonly string[] Actions = ["create", "start", "restart", "die", "stop", "kill", "oom", "pause", "unpause", "destroy", "rename"];

    private readonly DockerEngineClient _client;
    private readonly string _ownerId;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, RuntimeInstance> _instances = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _resync = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private CancellationTokenSource? _stream;
    private volatile bool _following;
    private long _resyncs;

    public ContainerWatch(DockerEngineClient client, string ownerId, TimeProvider time, ILogger logger)
    {
        _client = client;
        _ownerId = ownerId;
        _time = time;
        _logger = logger;
    }

    /// <summary>How many full lists were taken: one at the start and one after each break of the event stream.</summary>
    public long Resyncs => Interlocked.Read(ref _resyncs);

    /// <summary>Whether the event stream is followed now (false before the first list and after a break until the next list).</summary>
    public bool Following => _following;

    /// <summary>Every Berth container of this server as last seen; lists them all first when the event stream is not followed.</summary>
    public async Task<IReadOnlyList<RuntimeInstance>> ListAsync(CancellationToken cancellationToken)
    {
        if (!_following)
        {
            await ResyncAsync(cancellationToken).ConfigureAwait(false);
        }

        return [.. _instances.Values];
    }

    /// <summary>Records what Berth itself just saw of a container, so the next list has it before its event arrives.</summary>
    public void Remember(RuntimeInstance instance) => _instances[instance.InstanceId] = instance;

    /// <summary>Drops an instance Berth removed.</summary>
    public void Forget(string instanceId) => _instances.TryRemove(instanceId, out _);

    /// <summary>Inspects one container again (after Berth stopped it, say) and records what it is now.</summary>
    public async Task RefreshAsync(string instanceId, CancellationToken cancellationToken)
    {
        var container = await _client.TryInspectContainerAsync(DockerLabels.ContainerName(instanceId), cancellationToken).ConfigureAwait(false);
        Record(instanceId, container);
    }

    /// <summary>Cuts the event stream as a dropped connection would (for tests); the next list takes a full one again.</summary>
    internal void BreakStream() => _stream?.Cancel();

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
        _resync.Dispose();
    }

    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        await _resync.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_following)
            {
                return;
            }

            var since = _time.GetUtcNow() - ReplayMargin;
            var seen = await ListAllAsync(cancellationToken).ConfigureAwait(false);
            _instances.Clear();
            foreach (var instance in seen)
            {
                _instances[instance.InstanceId] = instance;
            }

            Interlocked.Increment(ref _resyncs);
            DockerRuntimeLog.Resynced(_logger, seen.Count);
            _stream?.Dispose();
            _stream = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            _following = true;
            _ = FollowAsync(since, _stream.Token);
        }
        finally
        {
            _resync.Release();
        }
    }

    private async Task FollowAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var query = new EventsQuery
        {
            Since = since,
            Filters = new Dictionary<string, IReadOnlyList<string>>
            {
                ["type"] = ["container"],
                ["label"] = [DockerLabels.ManagedFilter, DockerLabels.OwnerFilter(_ownerId)],
                ["event"] = Actions,
            },
        };
        var reason = "the engine ended it";
        try
        {
            await foreach (var engineEvent in _client.GetEventsAsync(query, cancellationToken).ConfigureAwait(false))
            {
                await ApplyAsync(engineEvent, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return;
        }
        catch (OperationCanceledException)
        {
            reason = "cut";
        }
        catch (Exception ex) when (ex is DockerEngineException or HttpRequestException or IOException or JsonException)
        {
            reason = ex.Message;
        }

        _following = false;
        DockerRuntimeLog.EventStreamBroke(_logger, reason);
    }

    private async Task ApplyAsync(EngineEvent engineEvent, CancellationToken cancellationToken)
    {
        if (engineEvent.Actor.Attributes?.GetValueOrDefault(DockerLabels.Instance) is not { } instanceId)
        {
            return;
        }

        if (engineEvent.Action == "destroy")
        {
            // Only if it is that container: a replayed destroy must not drop the container that replaced it.
            if (_instances.TryGetValue(instanceId, out var known) && known.NativeId == engineEvent.Actor.ID)
            {
                _instances.TryRemove(instanceId, out _);
            }

            return;
        }

        Record(instanceId, await _client.TryInspectContainerAsync(engineEvent.Actor.ID, cancellationToken).ConfigureAwait(false), engineEvent.Actor.ID);
    }

    /// <summary>Records the container as inspected; a container gone drops the instance, unless another container (<paramref name="containerId"/> named) now holds it.</summary>
    private void Record(string instanceId, ContainerInspect? container, string? containerId = null)
    {
        if (container is not null && ContainerInstanceMapper.Map(container) is { } instance)
        {
            _instances[instance.InstanceId] = instance;
        }
        else if (container is null && (containerId is null || (_instances.TryGetValue(instanceId, out var known) && known.NativeId == containerId)))
        {
            _instances.TryRemove(instanceId, out _);
        }
    }

    private async Task<List<RuntimeInstance>> ListAllAsync(CancellationToken cancellationToken)
    {
        var containers = await _client.ListContainersAsync(
            new ContainerListQuery { All = true, Labels = [DockerLabels.ManagedFilter, DockerLabels.OwnerFilter(_ownerId), DockerLabels.Instance] }, cancellationToken).ConfigureAwait(false);
        var instances = new List<RuntimeInstance>(containers.Count);
        foreach (var summary in containers)
        {
            // list rows lack exit codes and times; a container removed meanwhile is simply skipped
            var container = await _client.TryInspectContainerAsync(summary.Id, cancellationToken).ConfigureAwait(false);
            if (container is not null && ContainerInstanceMapper.Map(container) is { } instance)
            {
                instances.Add(instance);
            }
        }

        return instances;
    }
}
