using System.Collections.Concurrent;
using Berth.Core.Requests;
using Berth.Core.Storage;

namespace Berth.Server.Tests.Fakes;

/// <summary>
/// A request store that records every batch it is asked to save. While <see cref="Hold"/> is set a save waits for
/// <see cref="Release"/>, so a test can queue saves behind it; <see cref="FailWith"/> makes saves throw.
/// </summary>
internal sealed class GatedRequestStore : IRequestStore
{
    private readonly ConcurrentQueue<IReadOnlyList<string>> _batches = new();
    private readonly ConcurrentDictionary<string, bool> _committed = new(StringComparer.Ordinal);
    private TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True: the next save waits for <see cref="Release"/>.</summary>
    public bool Hold { get; set; }

    /// <summary>When set, a batch holding a request it accepts fails with what it returns.</summary>
    public Func<IReadOnlyList<ProxiedRequest>, Exception?>? FailWith { get; set; }

    /// <summary>Ids of every batch the store was asked to save, in order, committed or not.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Batches => [.. _batches];

    /// <summary>Completes when a held save has started.</summary>
    public Task Entered => _entered.Task;

    public bool IsCommitted(string id) => _committed.ContainsKey(id);

    public void Release()
    {
        Hold = false;
        _gate.TrySetResult();
    }

    public async Task SaveAsync(IReadOnlyList<ProxiedRequest> requests, CancellationToken cancellationToken)
    {
        _batches.Enqueue(requests.Select(r => r.Id).ToList());
        if (Hold)
        {
            _entered.TrySetResult();
            await _gate.Task.WaitAsync(cancellationToken);
        }

        if (FailWith?.Invoke(requests) is { } failure)
        {
            throw failure;
        }

        foreach (var request in requests)
        {
            _committed[request.Id] = true;
        }
    }

    public Task<ProxiedRequest?> GetAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ProxiedRequest?> FindByKeyAsync(string agentName, string scope, string idempotencyKey, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<IReadOnlyList<ProxiedRequest>> ListAsync(RequestQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<ProxiedRequest>> ClaimDueAsync(
        string agentName, DateTimeOffset now, string owner, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<IReadOnlyList<RequestStateCount>> CountOpenAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<RequestStateCount>>([]);

    public Task<IReadOnlyDictionary<string, DateTimeOffset>> PendingAgentsAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<int> ReleaseLeasesAsync(string owner, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<int> PurgeAsync(string agentName, RequestState? state, DateTimeOffset? finishedBefore, CancellationToken cancellationToken) =>
        throw new NotSupportedException();
}
