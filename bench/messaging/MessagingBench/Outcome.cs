using System.Globalization;

namespace Berth.Bench.Messaging;

/// <summary>What one cell measured, and the figures and checks derived from it.</summary>
internal sealed class Outcome
{
    /// <summary>Bucket bounds of the latency histogram, in ms: fine around a 250 ms recheck, coarse beyond.</summary>
    private static readonly double[] HistogramBounds = [10, 20, 50, 100, 150, 200, 250, 300, 400, 500, 1000, 2000, 5000];

    public required BenchOptions Options { get; init; }

    public required Ledger Ledger { get; init; }

    public required IReadOnlyList<Publisher> Publishers { get; init; }

    public required IReadOnlyList<Consumer> Consumers { get; init; }

    /// <summary>CPU seconds of the measured period by process label (see <see cref="CpuMeter"/>).</summary>
    public required IReadOnlyDictionary<string, double> Cpu { get; init; }

    /// <summary>How long after the last publish it took until every confirmed publish was acked.</summary>
    public required double DrainMs { get; init; }

    /// <summary>Up to ten sequence numbers published (confirmed) and never acked.</summary>
    public required IReadOnlyList<long> Lost { get; init; }

    public required long AckedUnconfirmed { get; init; }

    public double AckedPerSecond => Consumers.Sum(c => c.AckedInPeriod) / Options.Duration.TotalSeconds;

    public Percentiles EndToEnd => new(Consumers.SelectMany(c => c.EndToEndMs));

    /// <summary>The share of the measured period publishers spent waiting for a window slot: consumers falling behind.</summary>
    public double HeldBack => Publishers.Sum(p => p.HeldBack.TotalSeconds) / (Publishers.Count * Options.Duration.TotalSeconds);

    public int Errors => Publishers.Sum(p => p.Errors) + Consumers.Sum(c => c.Errors);

    /// <summary>"ok", or every reason the cell's figures cannot be trusted.</summary>
    public string Status
    {
        get
        {
            var problems = new List<string>();
            if (Lost.Count > 0)
            {
                problems.Add($"LOST {Ledger.Outstanding} (not acked {Options.Drain.TotalSeconds:0}s after the last publish)");
            }

            if (Errors > 0)
            {
                problems.Add($"{Errors} errors, first: {Publishers.Select(p => p.FirstError).Concat(Consumers.Select(c => c.FirstError)).First(e => e is not null)}");
            }

            if (Consumers.Sum(c => c.NotHeld) is var notHeld and > 0)
            {
                problems.Add($"{notHeld} acks answered not held");
            }

            if (Ledger.Unknown > 0)
            {
                problems.Add($"{Ledger.Unknown} deliveries of messages this run never sent");
            }

            if (EndToEnd.Count == 0)
            {
                problems.Add("no message published in the measured period was acked");
            }

            return problems.Count == 0 ? "ok" : string.Join("; ", problems);
        }
    }

    /// <summary>The figures and what explains them, for people (stdout).</summary>
    public void Describe(TextWriter output)
    {
        var e2e = EndToEnd;
        var delivered = new Percentiles(Consumers.SelectMany(c => c.DeliveredMs));
        var publish = new Percentiles(Publishers.SelectMany(p => p.PublishMs));
        var ack = new Percentiles(Consumers.SelectMany(c => c.AckMs));
        var receive = new Percentiles(Consumers.SelectMany(c => c.ReceiveMs));
        var batches = Consumers.SelectMany(c => c.BatchSizes).ToList();
        var seconds = Options.Duration.TotalSeconds;

        output.WriteLine();
        output.WriteLine(Invariant($"{Options.Backend}, {Options.Consumers} consumer(s), {Options.Publishers} publishers: {Status}"));
        output.WriteLine(Invariant($"  acked       {AckedPerSecond,8:0} msgs/s in the measured {seconds:0.#}s; published {publish.Count / seconds:0}/s"));
        output.WriteLine(Invariant($"  end to end  p50 {e2e.At(50),7:0.00} ms  p90 {e2e.At(90),7:0.00}  p99 {e2e.At(99),7:0.00}  max {e2e.Max,8:0.00}  ({e2e.Count} messages published in the period)"));
        output.WriteLine($"  histogram   {e2e.Histogram(HistogramBounds)} (end to end, ms)");
        output.WriteLine(Invariant($"  publish     p50 {publish.At(50),7:0.00} ms  p90 {publish.At(90),7:0.00}  p99 {publish.At(99),7:0.00}  max {publish.Max,8:0.00}  (start to 201)"));
        output.WriteLine(Invariant($"  delivered   p50 {delivered.At(50),7:0.00} ms  p90 {delivered.At(90),7:0.00}  p99 {delivered.At(99),7:0.00}  max {delivered.Max,8:0.00}  (publish start to the receive's answer)"));
        output.WriteLine(Invariant($"  receive     p50 {receive.At(50),7:0.00} ms  p90 {receive.At(90),7:0.00}  p99 {receive.At(99),7:0.00}  max {receive.Max,8:0.00}  (ask to answer, receives that returned messages)"));
        output.WriteLine(Invariant($"  ack call    p50 {ack.At(50),7:0.00} ms  p90 {ack.At(90),7:0.00}  p99 {ack.At(99),7:0.00}  max {ack.Max,8:0.00}"));
        output.WriteLine(Invariant(
            $"  receives    {batches.Count} with messages, {(batches.Count == 0 ? 0 : batches.Average()):0.0} per batch on average; {Consumers.Sum(c => c.EmptyReceives)} came back empty after their wait"));
        output.WriteLine(Invariant($"  publishers  waited for a window slot {HeldBack:P0} of the period (window {Options.Window})"));
        output.WriteLine(Invariant(
            $"  totals      published {Ledger.Published}, acked {Ledger.Acked}, duplicates delivered {Ledger.Duplicates}, lost {Ledger.Outstanding}, acked but publish not confirmed {AckedUnconfirmed}; drain {DrainMs:0} ms"));
        if (Lost.Count > 0)
        {
            output.WriteLine($"  lost (first ten sequence numbers): {string.Join(' ', Lost)}");
        }

        if (Cpu.Count > 0)
        {
            var parts = Cpu.Where(c => c.Key != "machine").OrderBy(c => c.Key, StringComparer.Ordinal)
                .Select(c => Invariant($"{c.Key} {c.Value:0.0}s ({c.Value / seconds:P0} of a core)"));
            var machine = Cpu.TryGetValue("machine", out var busy) ? Invariant($" of {busy:0.0}s busy on {Environment.ProcessorCount} cores") : "";
            output.WriteLine($"  CPU         {string.Join(", ", parts)}{machine}");
        }
    }

    /// <summary>The tab-separated row run.sh turns into its table.</summary>
    public string Row()
    {
        var e2e = EndToEnd;
        return string.Join('\t',
            Options.Backend,
            Options.Consumers.ToString(CultureInfo.InvariantCulture),
            AckedPerSecond.ToString("0", CultureInfo.InvariantCulture),
            e2e.At(50).ToString("0.0", CultureInfo.InvariantCulture),
            e2e.At(99).ToString("0.0", CultureInfo.InvariantCulture),
            Ledger.Published.ToString(CultureInfo.InvariantCulture),
            Ledger.Acked.ToString(CultureInfo.InvariantCulture),
            Ledger.Duplicates.ToString(CultureInfo.InvariantCulture),
            (Status + (HeldBack >= 0.01 ? Invariant($"; window full {HeldBack:P0} of the time") : "")).Replace('\t', ' '));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
