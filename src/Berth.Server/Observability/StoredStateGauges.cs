using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Berth.Core.Messaging;
using Berth.Core.Storage;
using Berth.Server.Messaging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Observability;

/// <summary>
/// Gauges of what the store holds: <c>berth.requests.open</c> (durable requests waiting, in delivery or dead-lettered, tagged
/// <c>berth.agent</c> and <c>berth.request.state</c>) and <c>berth.instances</c> (tagged <c>berth.agent</c> and
/// <c>berth.instance.state</c>) and <c>berth.subscription.messages</c> (tagged <c>berth.subscription</c> and
/// <c>berth.message.state</c>: <c>ready</c>, <c>leased</c>, <c>dead-lettered</c>). A collection never waits for the store: it reports the last counts and, when they are older
/// than <see cref="MaxAge"/>, starts a fresh read for the next one; nobody scraping costs nothing.
/// </summary>
internal sealed partial class StoredStateGauges(
    IRequestStore requests, IInstanceStore instances, IMessageBroker broker, MessagingTopology topology, TimeProvider time, ILogger<StoredStateGauges> logger)
    : IHostedService, IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    // Instruments live on the process-wide meter, so they are made once; each running server adds its counts (one in production).
    private static readonly ConcurrentDictionary<StoredStateGauges, byte> Running = new();

    private readonly CancellationTokenSource _stopping = new();
    private IReadOnlyList<Measurement<long>> _requests = [];
    private IReadOnlyList<Measurement<long>> _instances = [];
    private IReadOnlyList<Measurement<long>> _messages = [];
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;
    private int _reading;

    static StoredStateGauges()
    {
        BerthTelemetry.Meter.CreateObservableGauge(
            "berth.requests.open", () => Running.Keys.SelectMany(g => g.Current(g._requests)), "{request}",
            "Durable requests accepted, retrying, dispatched or dead-lettered (completed ones are not counted).");
        BerthTelemetry.Meter.CreateObservableGauge(
            "berth.instances", () => Running.Keys.SelectMany(g => g.Current(g._instances)), "{instance}", "Agent instances by state.");
        BerthTelemetry.Meter.CreateObservableGauge(
            "berth.subscription.messages", () => Running.Keys.SelectMany(g => g.Current(g._messages)), "{message}",
            "Messages of each subscription (agents' mailboxes included) that are ready, leased to a consumer or dead-lettered.");
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Running[this] = 0;
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Running.TryRemove(this, out _);
        await _stopping.CancelAsync();
    }

    public void Dispose() => _stopping.Dispose();

    private IReadOnlyList<Measurement<long>> Current(IReadOnlyList<Measurement<long>> last)
    {
        if (time.GetUtcNow() - _readAt >= MaxAge && Interlocked.Exchange(ref _reading, 1) == 0)
        {
            _ = ReadAsync();
        }

        return last;
    }

    private async Task ReadAsync()
    {
        try
        {
            var open = await requests.CountOpenAsync(_stopping.Token);
            var all = await instances.ListAsync(null, _stopping.Token);
            _requests = open.Select(c => new Measurement<long>(c.Count, Tag("berth.agent", c.AgentName), Tag("berth.request.state", MetricText.Of(c.State)))).ToList();
            _instances = all.GroupBy(i => (i.AgentName, i.State))
                .Select(g => new Measurement<long>(g.LongCount(), Tag("berth.agent", g.Key.AgentName), Tag("berth.instance.state", MetricText.Of(g.Key.State))))
                .ToList();
            _messages = await ReadMessagesAsync() ?? _messages;
            _readAt = time.GetUtcNow();
        }
        catch (Exception ex) when (!_stopping.IsCancellationRequested)
        {
            LogReadFailed(ex);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
        finally
        {
            Volatile.Write(ref _reading, 0);
        }
    }

    // Null while the broker does not answer (RabbitMQ down): the gauges keep their last values, and the API already says why.
    private async Task<IReadOnlyList<Measurement<long>>?> ReadMessagesAsync()
    {
        var measurements = new List<Measurement<long>>();
        try
        {
            foreach (var subscription in topology.Current.Subscriptions)
            {
                SubscriptionStats stats;
                try
                {
                    stats = await broker.StatsAsync(subscription.Name, _stopping.Token);
                }
                catch (UnknownSubscriptionException)
                {
                    continue; // removed since the topology was read
                }

                var name = Tag("berth.subscription", subscription.Name);
                measurements.Add(new Measurement<long>(stats.Ready, name, Tag("berth.message.state", "ready")));
                measurements.Add(new Measurement<long>(stats.Leased, name, Tag("berth.message.state", "leased")));
                measurements.Add(new Measurement<long>(stats.Dead, name, Tag("berth.message.state", "dead-lettered")));
            }
        }
        catch (MessageBrokerUnavailableException)
        {
            return null;
        }

        return measurements;
    }

    private static KeyValuePair<string, object?> Tag(string name, string value) => new(name, value);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading request and instance counts for /metrics failed; the gauges keep their last values")]
    private partial void LogReadFailed(Exception exception);
}
