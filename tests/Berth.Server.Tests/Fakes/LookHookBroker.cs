using Berth.Core.Messaging;

namespace Berth.Server.Tests.Fakes;

/// <summary>
/// A real broker with a hook that runs once, right after a receive has looked at the subscription and found nothing, before
/// the receive answers: the moment a publish that lands between a consumer's look and its wait arrives.
/// </summary>
internal sealed class LookHookBroker(IMessageBroker inner) : IMessageBroker
{
    private Func<Task>? _afterEmptyLook;

    public int Looks;

    /// <summary>Runs <paramref name="hook"/> after the next receive that finds nothing.</summary>
    public void AfterNextEmptyLook(Func<Task> hook) => _afterEmptyLook = hook;

    public string Name => inner.Name;

    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string subscription, int max, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Looks);
        var received = await inner.ReceiveAsync(subscription, max, cancellationToken);
        if (received.Count == 0 && Interlocked.Exchange(ref _afterEmptyLook, null) is { } hook)
        {
            await hook();
        }

        return received;
    }

    public Task DeclareAsync(MessageTopology topology, CancellationToken cancellationToken) => inner.DeclareAsync(topology, cancellationToken);

    public Task<bool> RemoveSubscriptionAsync(string subscription, CancellationToken cancellationToken) => inner.RemoveSubscriptionAsync(subscription, cancellationToken);

    public Task<bool> RemoveTopicAsync(string topic, CancellationToken cancellationToken) => inner.RemoveTopicAsync(topic, cancellationToken);

    public Task<PublishResult> PublishAsync(string topic, OutgoingMessage message, CancellationToken cancellationToken) => inner.PublishAsync(topic, message, cancellationToken);

    public Task<IReadOnlyList<string>> AckAsync(string subscription, IReadOnlyList<string> ackIds, CancellationToken cancellationToken) =>
        inner.AckAsync(subscription, ackIds, cancellationToken);

    public Task<bool> NackAsync(string subscription, string ackId, TimeSpan? delay, string? reason, CancellationToken cancellationToken) =>
        inner.NackAsync(subscription, ackId, delay, reason, cancellationToken);

    public Task<IReadOnlyList<MessageEntry>> ListAsync(MessageQuery query, CancellationToken cancellationToken) => inner.ListAsync(query, cancellationToken);

    public Task<StoredMessage?> GetAsync(string id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

    public Task<int> RequeueAsync(string subscription, IReadOnlyList<string>? ids, CancellationToken cancellationToken) => inner.RequeueAsync(subscription, ids, cancellationToken);

    public Task<int> PurgeAsync(string subscription, DeliveryState? state, CancellationToken cancellationToken) => inner.PurgeAsync(subscription, state, cancellationToken);

    public Task<SubscriptionStats> StatsAsync(string subscription, CancellationToken cancellationToken) => inner.StatsAsync(subscription, cancellationToken);

    public Task SweepAsync(CancellationToken cancellationToken) => inner.SweepAsync(cancellationToken);
}
