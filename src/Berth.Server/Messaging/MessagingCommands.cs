using Berth.Client.Contracts;
using Berth.Core.Messaging;
using Berth.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Berth.Server.Messaging;

/// <summary>Applying and removing topics and subscriptions (specs the API has read and validated), then declaring the change.</summary>
internal sealed class MessagingCommands(ITopicStore store, IMessageBroker broker, MessagingTopology topology) : IDisposable
{
    // One change at a time, so a subscription cannot be applied to a topic that is being removed.
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<ResourceApplyResponse> ApplyTopicAsync(TopicSpec spec, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var outcome = await store.ApplyTopicAsync(spec, ct);
            await topology.RefreshAsync(ct);
            return new ResourceApplyResponse("Topic", spec.Name, outcome);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<(ResourceApplyResponse? Response, ProblemHttpResult? Problem)> ApplySubscriptionAsync(SubscriptionSpec spec, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var topics = await store.ListTopicsAsync(ct);
            if (!topics.Any(t => t.Name == spec.Topic))
            {
                return (null, Api.MessagingProblems.TopicNotFound(spec.Topic, $"Subscription '{spec.Name}' names it in spec.topic; apply the topic first (a file may hold both: topics are applied first)."));
            }

            var existing = (await store.ListSubscriptionsAsync(ct)).FirstOrDefault(s => s.Name == spec.Name);
            if (existing is not null && existing.Topic != spec.Topic)
            {
                return (null, Problems.Problems.Conflict(
                    $"Subscription '{spec.Name}' receives from topic '{existing.Topic}'; a subscription cannot move to another topic (what it holds came from the first). Remove it with 'berth subscriptions rm {spec.Name}' and apply it again, or give the new one another name."));
            }

            var outcome = await store.ApplySubscriptionAsync(spec, ct);
            await topology.RefreshAsync(ct);
            return (new ResourceApplyResponse("Subscription", spec.Name, outcome), null);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Removes a subscription and what it holds; the number of messages dropped, or null when there was no such subscription.</summary>
    public async Task<int?> RemoveSubscriptionAsync(string name, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (!await store.DeleteSubscriptionAsync(name, ct))
            {
                return null;
            }

            var stats = await broker.StatsAsync(name, ct);
            await broker.RemoveSubscriptionAsync(name, ct);
            await topology.RefreshAsync(ct);
            return (int)Math.Min(int.MaxValue, stats.Ready + stats.Leased + stats.Dead);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Removes a topic with its subscriptions and their messages; the number of subscriptions removed, or null when there was no such topic.</summary>
    public async Task<int?> RemoveTopicAsync(string name, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (!(await store.ListTopicsAsync(ct)).Any(t => t.Name == name))
            {
                return null;
            }

            var subscriptions = (await store.ListSubscriptionsAsync(ct)).Where(s => s.Topic == name).ToList();
            foreach (var subscription in subscriptions)
            {
                await store.DeleteSubscriptionAsync(subscription.Name, ct);
                await broker.RemoveSubscriptionAsync(subscription.Name, ct);
            }

            await store.DeleteTopicAsync(name, ct);
            await broker.RemoveTopicAsync(name, ct);
            await topology.RefreshAsync(ct);
            return subscriptions.Count;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
