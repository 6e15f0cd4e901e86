using System.Collections.Concurrent;
using Berth.Core.Requests;
using Berth.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Requests;

/// <summary>
/// Lets a caller that is still connected wait for its request to finish, wherever it is delivered from: by this server
/// (<see cref="Finish"/>) or by another one sharing the store (<see cref="AnnounceAsync"/> signals every server, and a
/// server with a waiter for that request reads its outcome from the store).
/// </summary>
internal sealed partial class RequestCompletions(IStoreSignals signals, IRequestStore store, TimeProvider time, ILogger<RequestCompletions> logger)
    : IHostedService, IDisposable
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ProxiedRequest>> _waiting = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private IDisposable? _listening;

    /// <summary>The finished request (completed or dead-lettered), or null when <paramref name="timeout"/> passes first.</summary>
    public async Task<ProxiedRequest?> WaitAsync(string id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waiter = _waiting.GetOrAdd(id, _ => new TaskCompletionSource<ProxiedRequest>(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            return await waiter.Task.WaitAsync(timeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            _waiting.TryRemove(new KeyValuePair<string, TaskCompletionSource<ProxiedRequest>>(id, waiter));
        }
    }

    /// <summary>Wakes whoever waits in this server for <paramref name="request"/>.</summary>
    public void Finish(ProxiedRequest request)
    {
        if (_waiting.TryGetValue(request.Id, out var waiter))
        {
            waiter.TrySetResult(request);
        }
    }

    /// <summary>
    /// Wakes whoever waits for <paramref name="request"/>, in this server and in the others sharing the store; call it once
    /// the outcome is committed. A signal that cannot be sent is logged: the other servers' callers then get 202 at the end
    /// of their wait, and the outcome stays in the store.
    /// </summary>
    public async Task AnnounceAsync(ProxiedRequest request, CancellationToken cancellationToken)
    {
        Finish(request);
        try
        {
            await signals.NotifyAsync(StoreChannels.Requests, request.Id, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogAnnounceFailed(ex, request.Id);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken) =>
        _listening = await signals.ListenAsync(StoreChannels.Requests, Heard, cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _listening?.Dispose();
        await _stopping.CancelAsync();
    }

    public void Dispose() => _stopping.Dispose();

    // Another server finished a request: only a waiter still waiting here needs the store read.
    private void Heard(string id)
    {
        if (_waiting.TryGetValue(id, out var waiter) && !waiter.Task.IsCompleted)
        {
            _ = ReadOutcomeAsync(id);
        }
    }

    private async Task ReadOutcomeAsync(string id)
    {
        try
        {
            if (await store.GetAsync(id, _stopping.Token) is { State: RequestState.Completed or RequestState.DeadLettered } finished)
            {
                Finish(finished);
            }
        }
        catch (Exception ex) when (!_stopping.IsCancellationRequested)
        {
            LogReadFailed(ex, id);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} finished, but the other servers could not be told; their callers get 202 at the end of their wait")]
    private partial void LogAnnounceFailed(Exception exception, string requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} finished on another server, but its outcome could not be read; the caller gets 202 at the end of its wait")]
    private partial void LogReadFailed(Exception exception, string requestId);
}
