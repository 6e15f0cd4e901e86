using Berth.Core.Messaging;
using Microsoft.Extensions.Hosting;
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
    TimeProvider time, ILogger<PushDelivery> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, (PushDeliverySpec Push, CancellationTokenSource Stop, Task Run)> _workers = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timer = new PeriodicTimer(Tick, time);
            do
            {
                Reconcile(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        finally
        {
            foreach (var (_, stop, _) in _workers.Values)
            {
                await stop.CancelAsync();
            }

            await Task.WhenAll(_workers.Values.Select(w => w.Run));
        }
    }

    private void Reconcile(CancellationToken stoppingToken)
    {
        var wanted = topology.Current.Subscriptions.Where(s => s.Delivery.Push is not null).ToDictionary(s => s.Name, s => s.Delivery.Push!, StringComparer.Ordinal);
        foreach (var (name, worker) in _workers.ToList())
        {
            if (!wanted.TryGetValue(name, out var push) || push != worker.Push)
            {
                worker.Stop.Cancel();
                _workers.Remove(name);
            }
        }

        foreach (var (name, push) in wanted.Where(w => !_workers.ContainsKey(w.Key)))
        {
            var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            _workers[name] = (push, stop, Task.Run(() => RunAsync(name, push, stop.Token), CancellationToken.None));
        }
    }

    private async Task RunAsync(string subscription, PushDeliverySpec push, CancellationToken stop)
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
                    await SubscriptionSignals.WaitAsync(pulse, SubscriptionSignals.Recheck, time, stop);
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
                try
                {
                    await Task.Delay(Tick, time, stop);
                }
                catch (OperationCanceledException)
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
        try
        {
            var failure = await sender.SendAsync(push, message, options.Value.PushTimeout, stop);
            if (failure is null)
            {
                await broker.AckAsync(subscription, [message.AckId], CancellationToken.None);
                return;
            }

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
