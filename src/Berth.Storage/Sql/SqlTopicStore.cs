using Berth.Core.Messaging;
using Berth.Core.Storage;

namespace Berth.Storage.Sql;

/// <summary>Applied topics and subscriptions in the <c>topics</c> and <c>subscriptions</c> tables; each spec is the API's JSON.</summary>
internal sealed class SqlTopicStore(StoreDatabase database, TimeProvider timeProvider) : ITopicStore
{
    private static readonly SpecTable<TopicSpec> Topics = new("topics", "Topic", t => t.Name);

    private static readonly SpecTable<SubscriptionSpec> Subscriptions = new("subscriptions", "Subscription", s => s.Name, extraColumn: "topic");

    public Task<IReadOnlyList<TopicSpec>> ListTopicsAsync(CancellationToken cancellationToken) => Topics.ListAsync(database, cancellationToken);

    public Task<IReadOnlyList<SubscriptionSpec>> ListSubscriptionsAsync(CancellationToken cancellationToken) => Subscriptions.ListAsync(database, cancellationToken);

    public Task<ApplyOutcome> ApplyTopicAsync(TopicSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Topics.ApplyAsync(database, spec, extra: null, timeProvider.GetUtcNow(), cancellationToken);
    }

    public Task<ApplyOutcome> ApplySubscriptionAsync(SubscriptionSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrEmpty(spec.Topic);
        return Subscriptions.ApplyAsync(database, spec, spec.Topic, timeProvider.GetUtcNow(), cancellationToken);
    }

    public Task<bool> DeleteTopicAsync(string name, CancellationToken cancellationToken) => Topics.DeleteAsync(database, name, cancellationToken);

    public Task<bool> DeleteSubscriptionAsync(string name, CancellationToken cancellationToken) => Subscriptions.DeleteAsync(database, name, cancellationToken);
}
