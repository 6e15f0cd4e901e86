using Berth.Core.Messaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Server.Messaging.Push;

/// <summary>
/// Runs one worker per push subscription of the topology (started and stopped as subscriptions come and go): each leases up to
/// <c>push.concurrency</c> messages, posts them to the agent (<see cref="PushSender"/>), acks on 2xx and nacks otherwise, so a
/// failure is delivered again after the subscription's backoff and dead-lettered after the topic's <c>maxDeliveries</c>.
/// </summary>
internal sealed partial class PushDelivery(
    MessagingTopology topology, IMessageBroker broker, PushSender sender, SubscriptionSignals signals, IOptions<MessagingOptions> options,
    TimeProvider time, ILogger<PushDelivery> logger) : SubscriptionWorkerHost<PushDeliverySpec>(topology, time)
{
    protected override PushDeliverySpec? Select(SubscriptionSpec subscription) => subscription.Delivery.Push;

    protected override async Task RunWorkerAsync(string subscription, PushDeliverySpec push, CancellationToken stop)
    {
        var inFlight = new List<Task>();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                inFlight.RemoveAll(t => t.IsCompleted);
                var free = push.Concurrency - inFlight.Count;
                if (free == 0)
                {
                    await Task.WhenAny(inFlight).WaitAsync(stop);
                    continue;
                }

                var pulse = signals.Next(subscription);
                var received = await broker.ReceiveAsync(subscription, free, stop);
                if (received.Count == 0)
                {
                    await SubscriptionSignals.WaitAsync(pulse, SubscriptionSignals.Recheck, Time, stop);
                    continue;
                }

                inFlight.AddRange(received.Select(message => DeliverAsync(subscription, push, message, stop)));
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // A broker hiccup (RabbitMQ restarting, say): what was leased comes back when its lease ends.
                LogPushFailed(ex, subscription);
                if (!await PauseAsync(stop))
                {
                    break;
                }
            }
        }

        // Each delivery settles itself and never throws; those cut short by the stop come back when their leases end.
        await Task.WhenAll(inFlight);
    }

    private async Task DeliverAsync(string subscription, PushDeliverySpec push, ReceivedMessage message, CancellationToken stop)
    {
        using var activity = MessagingTracing.StartPush(subscription, message);
        try
        {
            var failure = await sender.SendAsync(push, message, options.Value.PushTimeout, stop);
            if (failure is null)
            {
                await broker.AckAsync(subscription, [message.AckId], CancellationToken.None);
                MessagingMetrics.RecordPushed(subscription, message);
                return;
            }

            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, "not delivered");
            LogDeliveryFailed(subscription, message.Id, message.Delivery, failure);
            await broker.NackAsync(subscription, message.AckId, null, failure, CancellationToken.None);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping: the lease runs out and the message is delivered again.
        }
        catch (Exception ex)
        {
            LogPushFailed(ex, subscription);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Push delivery of subscription {Subscription} failed; it tries again")]
    private partial void LogPushFailed(Exception exception, string subscription);

    [LoggerMessage(Level = LogLevel.Information, Message = "Push of message {MessageId} (delivery {Delivery}) from {Subscription} failed: {Failure}")]
    private partial void LogDeliveryFailed(string subscription, string messageId, int delivery, string failure);
}
