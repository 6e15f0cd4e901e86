using System.Text.Json;
using Berth.Core.Agents;
using Berth.Core.Messaging;
using Berth.Core.Serialization;
using Berth.Core.Storage;

namespace Berth.Server.Messaging;

/// <summary>
/// What the broker serves, read from the store: applied topics and subscriptions, a mailbox for every agent, and a subscription
/// <c>workflow/NAME</c> for every workflow with an <c>on.message</c> trigger. <see cref="RefreshAsync"/> reads it again and
/// declares it to the broker; the API calls it after each change it makes, the <see cref="MessagingHost"/> every few seconds for
/// changes made elsewhere (an agent applied, a workflow removed), and a caller that names something the snapshot lacks calls it
/// once before answering 404.
/// </summary>
internal sealed class MessagingTopology(ITopicStore topics, IAgentStore agents, IWorkflowStore workflows, IMessageBroker broker) : IDisposable
{
    /// <summary>The prefix of a trigger's subscription: <c>workflow/</c>.</summary>
    public const string TriggerPrefix = "workflow/";

    private readonly SemaphoreSlim _refresh = new(1, 1);

    private volatile MessageTopology _current = new();

    private string? _declared;

    /// <summary>The topology as last read.</summary>
    public MessageTopology Current => _current;

    /// <summary>The subscription that starts runs of <paramref name="workflow"/>.</summary>
    public static string TriggerOf(string workflow) => TriggerPrefix + workflow;

    /// <summary>Reads the topology again and declares it to the broker; concurrent callers share one read.</summary>
    public async Task<MessageTopology> RefreshAsync(CancellationToken cancellationToken)
    {
        var before = _current;
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (!ReferenceEquals(before, _current))
            {
                return _current;
            }

            var read = await ReadAsync(cancellationToken);
            await DropOwnedAsync(_current, read, cancellationToken);
            var shape = JsonSerializer.Serialize(read, BerthJson.Options);

            // Declaring is cheap for the embedded store but a round of AMQP declarations for RabbitMQ: only when something changed.
            if (!string.Equals(shape, _declared, StringComparison.Ordinal))
            {
                await broker.DeclareAsync(read, cancellationToken);
                _declared = shape;
            }

            _current = read;
            return read;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>The topic named <paramref name="name"/>, refreshing once when the snapshot lacks it; null when there is none.</summary>
    public async Task<TopicSpec?> TopicAsync(string name, CancellationToken cancellationToken) =>
        _current.Topic(name) ?? (await RefreshAsync(cancellationToken)).Topic(name);

    /// <summary>The subscription named <paramref name="name"/>, refreshing once when the snapshot lacks it; null when there is none.</summary>
    public async Task<SubscriptionSpec?> SubscriptionAsync(string name, CancellationToken cancellationToken) =>
        _current.Subscription(name) ?? (await RefreshAsync(cancellationToken)).Subscription(name);

    /// <summary>True for what Berth keeps by itself (mailboxes, triggers), which no one removes by hand.</summary>
    public static bool IsOwned(string name) =>
        name.StartsWith(Mailboxes.Prefix, StringComparison.Ordinal) || name.StartsWith(TriggerPrefix, StringComparison.Ordinal);

    // A removed agent's mailbox and a removed (or retargeted) workflow trigger go with it: applied topics and subscriptions are
    // removed by their own routes. Seen from this server's last read, so what went while it was down is left to retention.
    private async Task DropOwnedAsync(MessageTopology before, MessageTopology after, CancellationToken cancellationToken)
    {
        var subscriptions = before.Subscriptions.Where(s => IsOwned(s.Name) && after.Subscription(s.Name)?.Topic != s.Topic).ToList();
        foreach (var gone in subscriptions)
        {
            await broker.RemoveSubscriptionAsync(gone.Name, cancellationToken);
        }

        foreach (var gone in before.Topics.Where(t => IsOwned(t.Name) && after.Topic(t.Name) is null))
        {
            await broker.RemoveTopicAsync(gone.Name, cancellationToken);
        }

        if (subscriptions.Count > 0)
        {
            // A retargeted trigger is declared again below, on its new topic.
            _declared = null;
        }
    }

    private async Task<MessageTopology> ReadAsync(CancellationToken cancellationToken)
    {
        var applied = await topics.ListTopicsAsync(cancellationToken);
        var names = applied.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var subscriptions = (await topics.ListSubscriptionsAsync(cancellationToken)).Where(s => names.Contains(s.Topic)).ToList();
        var mailboxes = (await agents.ListAsync(cancellationToken)).Where(a => a.DesiredState != DesiredState.Removed).Select(a => a.Name).ToList();
        var triggers = (await workflows.ListAsync(cancellationToken))
            .Where(w => w.Spec.On?.Message is { } trigger && names.Contains(trigger.Topic))
            .Select(w => new SubscriptionSpec
            {
                Name = TriggerOf(w.Name),
                Topic = w.Spec.On!.Message!.Topic,
                Filter = w.Spec.On.Message.Filter,
                Delivery = new DeliverySpec { Pull = new PullDeliverySpec() },
            });
        return new MessageTopology
        {
            Topics = [.. applied, .. mailboxes.Select(Mailboxes.Topic)],
            Subscriptions = [.. subscriptions, .. mailboxes.Select(Mailboxes.Subscription), .. triggers],
        };
    }

    public void Dispose() => _refresh.Dispose();
}
