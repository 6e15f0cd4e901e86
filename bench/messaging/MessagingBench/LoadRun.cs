using Berth.Client;
using Berth.Core.Messaging;

namespace Berth.Bench.Messaging;

/// <summary>
/// One cell of the matrix: a fresh topic with one pull subscription, the consumers and publishers through a warm-up and the
/// measured period, then a drain until every confirmed publish is acked (or <see cref="BenchOptions.Drain"/> runs out), and
/// the topic removed again so a shared RabbitMQ keeps nothing of it.
/// </summary>
internal sealed class LoadRun(BenchOptions options, BerthClient client, TextWriter notes)
{
    public async Task<Outcome> RunAsync(CancellationToken abort)
    {
        var name = $"bench-{Guid.NewGuid():N}"[..18];
        await client.ApplyTopicAsync(new TopicSpec { Name = name }, abort);
        try
        {
            await client.ApplySubscriptionAsync(new SubscriptionSpec { Name = name, Topic = name }, abort);
            return await MeasureAsync(name, abort);
        }
        finally
        {
            using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await client.DeleteTopicAsync(name, cleanup.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or Berth.Client.Errors.BerthApiException
                or Berth.Client.Errors.BerthUnavailableException)
            {
                await notes.WriteLineAsync($"    could not remove topic {name}: {ex.Message}");
            }
        }
    }

    private async Task<Outcome> MeasureAsync(string name, CancellationToken abort)
    {
        var phases = new Phases(TimeProvider.System, options.Warmup, options.Duration);
        var ledger = new Ledger();
        using var window = new SemaphoreSlim(options.Window, int.MaxValue);
        using var stopConsumers = CancellationTokenSource.CreateLinkedTokenSource(abort);
        var padding = new string('x', options.Padding);
        var consumers = Enumerable.Range(0, options.Consumers)
            .Select(_ => new Consumer(client, name, ledger, phases, window, options.Batch, options.Wait)).ToList();
        var publishers = Enumerable.Range(0, options.Publishers)
            .Select(_ => new Publisher(client, name, ledger, phases, window, padding)).ToList();
        var cpu = new CpuMeter(options.Watch);

        await notes.WriteLineAsync(
            $"    {options.Backend}: {options.Publishers} publishers, {options.Consumers} consumers (max {options.Batch}, wait {Berth.Core.Specs.Duration.Format(options.Wait)}), " +
            $"window {options.Window}; warm-up {Berth.Core.Specs.Duration.Format(options.Warmup)}, measured {Berth.Core.Specs.Duration.Format(options.Duration)}");
        var consuming = consumers.Select(c => Task.Run(() => c.RunAsync(stopConsumers.Token, abort), CancellationToken.None)).ToList();
        var publishing = publishers.Select(p => Task.Run(() => p.RunAsync(abort), CancellationToken.None)).ToList();
        var metering = MeterAsync(cpu, phases, abort);

        await Task.WhenAll(publishing);
        var cpuUsed = await metering;
        var drainStart = phases.Now;
        var drainEnd = drainStart + (long)(options.Drain.TotalSeconds * phases.Time.TimestampFrequency);
        while (ledger.Outstanding > 0 && phases.Now < drainEnd && !abort.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), phases.Time, abort);
        }

        var drained = phases.Milliseconds(drainStart, phases.Now);
        await stopConsumers.CancelAsync();
        await Task.WhenAll(consuming);

        return new Outcome
        {
            Options = options,
            Ledger = ledger,
            Publishers = publishers,
            Consumers = consumers,
            Cpu = cpuUsed,
            DrainMs = drained,
            Lost = ledger.Lost(10),
            AckedUnconfirmed = ledger.AckedUnconfirmed(),
        };
    }

    /// <summary>CPU used by each process within the measured period.</summary>
    private static async Task<IReadOnlyDictionary<string, double>> MeterAsync(CpuMeter cpu, Phases phases, CancellationToken abort)
    {
        await Task.Delay(phases.Until(phases.MeasureStart), phases.Time, abort);
        cpu.Start();
        await Task.Delay(phases.Until(phases.MeasureEnd), phases.Time, abort);
        return cpu.Stop();
    }
}
