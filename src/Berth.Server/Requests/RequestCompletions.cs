using System.Collections.Concurrent;
using Berth.Core.Requests;

namespace Berth.Server.Requests;

/// <summary>Lets a caller that is still connected wait for its request to finish, wherever it is delivered from.</summary>
internal sealed class RequestCompletions(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ProxiedRequest>> _waiting = new(StringComparer.Ordinal);

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

    /// <summary>Wakes whoever waits for <paramref name="request"/>.</summary>
    public void Finish(ProxiedRequest request)
    {
        if (_waiting.TryGetValue(request.Id, out var waiter))
        {
            waiter.TrySetResult(request);
        }
    }
}
