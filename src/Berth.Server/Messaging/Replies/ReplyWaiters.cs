using System.Collections.Concurrent;
using Berth.Core.Messaging;

namespace Berth.Server.Messaging.Replies;

/// <summary>
/// Requests waiting on this server for their reply, by correlation id. A reply published here completes its waiter at once; a
/// reply that finds no waiter (the request timed out, or waits on another server) still reaches the requester's mailbox when it
/// named one.
/// </summary>
internal sealed class ReplyWaiters
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StoredMessage>> _waiting = new(StringComparer.Ordinal);

    /// <summary>Starts waiting for the reply to <paramref name="correlationId"/>; dispose the result to stop.</summary>
    public Waiter Register(string correlationId)
    {
        var source = new TaskCompletionSource<StoredMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[correlationId] = source;
        return new Waiter(this, correlationId, source);
    }

    /// <summary>Hands <paramref name="reply"/> to the request waiting for <paramref name="correlationId"/>, if one is.</summary>
    public void Complete(string correlationId, StoredMessage reply)
    {
        if (_waiting.TryRemove(correlationId, out var source))
        {
            source.TrySetResult(reply);
        }
    }

    /// <summary>One request's wait for its reply.</summary>
    internal sealed class Waiter(ReplyWaiters owner, string correlationId, TaskCompletionSource<StoredMessage> source) : IDisposable
    {
        /// <summary>Completes with the reply.</summary>
        public Task<StoredMessage> Reply => source.Task;

        public void Dispose() => owner._waiting.TryRemove(new KeyValuePair<string, TaskCompletionSource<StoredMessage>>(correlationId, source));
    }
}
