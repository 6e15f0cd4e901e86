using Berth.Bench.Messaging;
using Berth.Core.Specs;

namespace Berth.Bench.Llm;

/// <summary>
/// Calls per second one way: <see cref="BenchOptions.Concurrency"/> callers, each sending the chat completion again as soon as
/// its last one is answered, through a warm-up and the measured period. A caller's last call may end after the period; it is
/// not counted in the rate, and its latency is (it started in the period).
/// </summary>
internal sealed class ThroughputRun(BenchOptions options, TimeProvider time, TextWriter notes)
{
    public async Task<ThroughputFigures> RunAsync(ChatTarget target, CancellationToken abort)
    {
        await notes.WriteLineAsync($"    throughput {target.Name}: {options.Concurrency} callers, warm-up {Duration.Format(options.Warmup)}, measured {Duration.Format(options.Duration)}");
        var measureStart = time.GetTimestamp() + Ticks(options.Warmup);
        var measureEnd = measureStart + Ticks(options.Duration);
        var callers = Enumerable.Range(0, options.Concurrency).Select(_ => new Caller()).ToList();
        var cpu = new CpuMeter(options.Watch);
        var calling = callers.Select(c => Task.Run(() => CallAsync(c, target, measureStart, measureEnd, abort), CancellationToken.None)).ToList();
        await Task.Delay(Until(measureStart), time, abort);
        cpu.Start();
        await Task.Delay(Until(measureEnd), time, abort);
        var used = cpu.Stop();
        await Task.WhenAll(calling);
        return new ThroughputFigures
        {
            Way = target.Name,
            Callers = options.Concurrency,
            CallsPerSecond = callers.Sum(c => c.Answered) / options.Duration.TotalSeconds,
            Latency = new Percentiles(callers.SelectMany(c => c.Latencies)),
            Answered = callers.Sum(c => c.Answered),
            Errors = callers.Sum(c => c.Errors),
            FirstError = callers.Select(c => c.FirstError).FirstOrDefault(e => e is not null),
            Cpu = used,
        };
    }

    private async Task CallAsync(Caller caller, ChatTarget target, long measureStart, long measureEnd, CancellationToken abort)
    {
        while (time.GetTimestamp() < measureEnd && !abort.IsCancellationRequested)
        {
            var started = time.GetTimestamp();
            try
            {
                await target.CompleteAsync(abort);
            }
            catch (Exception ex) when ((ex is BenchException or HttpRequestException or TaskCanceledException) && !abort.IsCancellationRequested)
            {
                // TaskCanceledException without abort: HttpClient's timeout.
                caller.Errors++;
                caller.FirstError ??= ex.Message;
                await Task.Delay(TimeSpan.FromMilliseconds(10), time, abort);
                continue;
            }

            var ended = time.GetTimestamp();
            if (ended >= measureStart && ended < measureEnd)
            {
                caller.Answered++;
            }

            if (started >= measureStart && started < measureEnd)
            {
                caller.Latencies.Add(time.GetElapsedTime(started, ended).TotalMilliseconds);
            }
        }
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * time.TimestampFrequency);

    private TimeSpan Until(long timestamp) => timestamp <= time.GetTimestamp() ? TimeSpan.Zero : time.GetElapsedTime(time.GetTimestamp(), timestamp);

    /// <summary>One caller's counts; only its own task writes them.</summary>
    private sealed class Caller
    {
        public List<double> Latencies { get; } = [];

        public long Answered { get; set; }

        public long Errors { get; set; }

        public string? FirstError { get; set; }
    }
}
