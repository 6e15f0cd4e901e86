using Berth.Core.Messaging;
using Microsoft.Extensions.Hosting;

namespace Berth.Server.Messaging;

/// <summary>
/// A background service that keeps one worker per subscription it selects from the topology (push subscriptions, workflow
/// triggers): a worker starts when its subscription appears and is stopped when the subscription goes or the settings it was
/// selected with change; at shutdown every worker is stopped and awaited. What a worker leased and did not settle comes back
/// when its lease ends, so stopping one loses nothing.
/// </summary>
/// <typeparam name="TSettings">What a worker runs with; compared with <see cref="object.Equals(object)"/>, so a record's change restarts it.</typeparam>
internal abstract class SubscriptionWorkerHost<TSettings>(MessagingTopology topology, TimeProvider time) : BackgroundService
    where TSettings : class
{
    /// <summary>How often the topology is looked at, and how long a worker pauses after a failure: 1s.</summary>
    protected static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, Worker> _workers = new(StringComparer.Ordinal);

    /// <summary>The clock workers wait by.</summary>
    protected TimeProvider Time => time;

    /// <summary>The settings a worker of <paramref name="subscription"/> runs with, or null when it gets no worker.</summary>
    protected abstract TSettings? Select(SubscriptionSpec subscription);

    /// <summary>One worker's loop, until <paramref name="stop"/> is cancelled.</summary>
    protected abstract Task RunWorkerAsync(string subscription, TSettings settings, CancellationToken stop);

    /// <summary>Waits a <see cref="Tick"/> after a failure; false when the worker is being stopped instead.</summary>
    protected async Task<bool> PauseAsync(CancellationToken stop)
    {
        try
        {
            await Task.Delay(Tick, time, stop);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

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
            foreach (var name in _workers.Keys.ToList())
            {
                await StopAsync(name);
            }
        }
    }

    private void Reconcile(CancellationToken stoppingToken)
    {
        var wanted = new Dictionary<string, TSettings>(StringComparer.Ordinal);
        foreach (var subscription in topology.Current.Subscriptions)
        {
            if (Select(subscription) is { } settings)
            {
                wanted[subscription.Name] = settings;
            }
        }

        foreach (var (name, worker) in _workers.ToList())
        {
            if (!wanted.TryGetValue(name, out var settings) || !settings.Equals(worker.Settings))
            {
                // Not awaited: the next pass must not wait on a worker finishing its in-flight deliveries.
                _ = StopAsync(name);
            }
        }

        foreach (var (name, settings) in wanted.Where(w => !_workers.ContainsKey(w.Key)))
        {
            var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            _workers[name] = new Worker(settings, stop, Task.Run(() => RunWorkerAsync(name, settings, stop.Token), CancellationToken.None));
        }
    }

    private async Task StopAsync(string name)
    {
        if (!_workers.Remove(name, out var worker))
        {
            return;
        }

        await worker.Stop.CancelAsync();
        await worker.Run;
        worker.Stop.Dispose();
    }

    private sealed record Worker(TSettings Settings, CancellationTokenSource Stop, Task Run);
}
