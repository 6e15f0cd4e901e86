using System.Globalization;
using Berth.Bench.Messaging;

namespace Berth.Bench.Llm;

/// <summary>One store's figures: the latency rounds, the two throughput runs and the ledger check, as details and as table rows.</summary>
internal sealed class Outcome
{
    public required BenchOptions Options { get; init; }

    public required LatencySamples Latency { get; init; }

    public required ThroughputFigures Direct { get; init; }

    public required ThroughputFigures Berth { get; init; }

    public required UsageCheck Usage { get; init; }

    public bool Failed => Direct.Errors > 0 || Berth.Errors > 0 || !Usage.Matches;

    /// <summary>The rows of run.sh's two tables, tab-separated, the first field saying which table.</summary>
    public IEnumerable<string> Rows()
    {
        yield return LatencyRow("chat completion", Latency.CompleteDirect, Latency.CompleteBerth);
        yield return LatencyRow("stream, first token", Latency.FirstTokenDirect, Latency.FirstTokenBerth);
        yield return LatencyRow("stream, whole", Latency.StreamDirect, Latency.StreamBerth);
        yield return ThroughputRow(Direct, Direct.Errors > 0 ? $"FAILED: {Direct.Errors} errors, first: {Direct.FirstError}" : "ok");
        var problems = new List<string>();
        if (Berth.Errors > 0)
        {
            problems.Add($"{Berth.Errors} errors, first: {Berth.FirstError}");
        }

        if (Usage.Problem is { } mismatch)
        {
            problems.Add($"usage ledger: {mismatch}");
        }

        yield return ThroughputRow(Berth, problems.Count == 0
            ? $"ok; ledger: all {Usage.Recorded.Calls} calls made through Berth, settled"
            : $"FAILED: {string.Join("; ", problems)}");
    }

    public void Describe(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine(Invariant($"{Options.Store}: latency, {Latency.CompleteDirect.Count} calls of each kind each way, one at a time (ms)"));
        output.WriteLine("      kind                   way        p50      p90      p99      max     mean");
        Describe(output, "chat completion", "direct", Latency.CompleteDirect);
        Describe(output, "chat completion", "berth", Latency.CompleteBerth);
        Describe(output, "stream, first token", "direct", Latency.FirstTokenDirect);
        Describe(output, "stream, first token", "berth", Latency.FirstTokenBerth);
        Describe(output, "stream, whole", "direct", Latency.StreamDirect);
        Describe(output, "stream, whole", "berth", Latency.StreamBerth);
        output.WriteLine(Invariant($"    berth chat completion histogram (ms): {new Percentiles(Latency.CompleteBerth).Histogram([0.5, 1, 2, 5, 10, 20, 50, 100])}"));
        foreach (var run in new[] { Direct, Berth })
        {
            var latency = run.Latency;
            output.WriteLine(
                Invariant($"{Options.Store}: throughput {run.Way}, {run.Callers} callers: {run.CallsPerSecond:0} calls/s, {run.Answered} answered in the period, ") +
                Invariant($"{run.Errors} errors; latency p50 {latency.At(50):0.00} p90 {latency.At(90):0.00} p99 {latency.At(99):0.00} max {latency.Max:0.00} ms"));
            output.WriteLine(Invariant($"    CPU in the measured period, share of one core: {Shares(run)}"));
            if (run.Answered > 0)
            {
                output.WriteLine(Invariant($"    CPU per answered call: {PerCall(run)}"));
            }

            output.WriteLine(Invariant($"    histogram (ms): {latency.Histogram([1, 2, 5, 10, 20, 50, 100, 200, 500])}"));
        }

        output.WriteLine(
            Invariant($"{Options.Store}: usage ledger after the run: {Usage.Recorded.Calls} calls, {Usage.Recorded.PromptTokens} prompt and ") +
            Invariant($"{Usage.Recorded.CompletionTokens} completion tokens; sent through Berth: {Usage.Expected.Calls} calls ") +
            Invariant($"({Usage.Expected.PromptTokens} and {Usage.Expected.CompletionTokens} tokens): {(Usage.Matches ? "they match" : "MISMATCH, " + Usage.Problem)}"));
    }

    private string LatencyRow(string kind, List<double> direct, List<double> berth)
    {
        var (d, b) = (new Percentiles(direct), new Percentiles(berth));
        return Invariant($"latency\t{Options.Store}\t{kind}\t{d.At(50):0.00}\t{d.At(99):0.00}\t{b.At(50):0.00}\t{b.At(99):0.00}\t{b.At(50) - d.At(50):+0.00;-0.00}\t{b.At(99) - d.At(99):+0.00;-0.00}");
    }

    private string ThroughputRow(ThroughputFigures run, string status)
    {
        var serverMs = run.Cpu.TryGetValue("server", out var server) && run.Answered > 0 && run.Way == "berth"
            ? Invariant($"{server * 1000 / run.Answered:0.00}")
            : "-";
        return Invariant(
            $"throughput\t{Options.Store}\t{run.Way}\t{run.Callers}\t{run.CallsPerSecond:0}\t{run.Latency.At(50):0.00}\t{run.Latency.At(99):0.00}\t{serverMs}\t{run.Answered}\t{status.ReplaceLineEndings(" ")}");
    }

    private static void Describe(TextWriter output, string kind, string way, List<double> sample)
    {
        var p = new Percentiles(sample);
        output.WriteLine(Invariant($"      {kind,-22} {way,-6} {p.At(50),8:0.000} {p.At(90),8:0.000} {p.At(99),8:0.000} {p.Max,8:0.000} {sample.Average(),8:0.000}"));
    }

    private string Shares(ThroughputFigures run) =>
        string.Join(", ", run.Cpu.Where(c => c.Key != "machine").OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => Invariant($"{c.Key} {100 * c.Value / Options.Duration.TotalSeconds:0}%")));

    private static string PerCall(ThroughputFigures run) =>
        string.Join(", ", run.Cpu.Where(c => c.Key is not ("machine" or "other")).OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => Invariant($"{c.Key} {c.Value * 1000 / run.Answered:0.000} ms")));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
