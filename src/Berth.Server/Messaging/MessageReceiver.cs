using Berth.Core.Messaging;

namespace Berth.Server.Messaging;

/// <summary>Receives with a long-poll: what is ready now, or the first messages that become ready within the wait.</summary>
internal sealed class MessageReceiver(IMessageBroker broker, MessagingTopology topology, SubscriptionSignals signals, TimeProvider time)
{
    /// <summary>
    /// Up to <paramref name="max"/> leased messages of <paramref name="subscription"/>, waiting at most <paramref name="wait"/> for
    /// the first; empty when none came. Throws <see cref="UnknownSubscriptionException"/> for an unknown subscription.
    /// </summary>
    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string subscription, int max, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + wait;
        var refreshed = false;
        while (true)
        {
            var pulse = signals.Next(subscription);
            IReadOnlyList<ReceivedMessage> received;
            try
            {
                received = await broker.ReceiveAsync(subscription, max, cancellationToken);
            }
            catch (UnknownSubscriptionException) when (!refreshed)
            {
                refreshed = true;
                if ((await topology.RefreshAsync(cancellationToken)).Subscription(subscription) is null)
                {
                    throw;
                }

                continue;
            }

            var left = deadline - time.GetUtcNow();
            if (received.Count > 0 || left <= TimeSpan.Zero)
            {
                MessagingMetrics.RecordPulled(subscription, received);
                return received;
            }

            await SubscriptionSignals.WaitAsync(pulse, left, time, cancellationToken);
        }
    }
}
