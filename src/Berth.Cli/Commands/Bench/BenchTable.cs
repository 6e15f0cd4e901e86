using System.Globalization;
using System.Text;
using Berth.Cli.Commands.Llm;
using Berth.Cli.Output;
using Spectre.Console;
using Berth.Core.Specs;

namespace Berth.Cli.Commands.Bench;

/// <summary>The bench report as a person reads it at a glance: a headline, one row of figures, then a line per extra measure.</summary>
internal static class BenchTable
{
    public static void Write(IAnsiConsole console, BenchReport report)
    {
        var bound = report.RequestsAsked is { } asked
            ? $"{asked} requests"
            : $"for {Duration.Format(TimeSpan.FromSeconds(report.DurationAskedSeconds ?? 0))}";
        console.MarkupLineInterpolated($"[bold]agent/{report.Agent}[/]  {report.Method} {report.Path}  ·  {bound}, concurrency {report.Concurrency}");
        var figures = new Table().NoBorder().AddColumns("REQUESTS", "OK", "FAILED", "SUCCESS", "TIME", "REQ/S", "P50", "P95", "P99", "MAX");
        var latency = report.LatencyMs;
        figures.AddRow(
            Count(report.Requests),
            Count(report.Succeeded),
            report.Failed == 0 ? new Text("0") : new Markup($"[red]{report.Failed}[/]"),
            Success(report.SuccessRate),
            new Text(Seconds(report.ElapsedSeconds)),
            new Text(Number(report.Throughput)),
            Latency(latency?.P50),
            Latency(latency?.P95),
            Latency(latency?.P99),
            Latency(latency?.Max));
        foreach (var column in figures.Columns)
        {
            column.PadRight(2);
        }

        console.Write(figures);

        var details = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(3)).AddColumn();
        details.AddRow(new Text("status"), new Text(report.StatusCodes.Count == 0 ? "no answers" : string.Join(", ", report.StatusCodes.Select(s => $"{s.Key} ×{s.Value}"))));
        if (report.StatusCodes.ContainsKey("429"))
        {
            details.AddRow(new Text("429"), new Text(
                "too many requests: the token's budget on the server (Berth:RateLimit:RequestsPerSecond, default 100/s, see docs/security.md#rate-limits) or the agent's own limit"));
        }

        if (report.Errors.Count > 0)
        {
            details.AddRow(new Text("errors"), new Text(string.Join(", ", report.Errors.Select(e => $"{e.Key} ×{e.Value}"))));
        }

        if (report.ColdStart is { } cold)
        {
            var versus = cold.SlowerThanWarm is { } ratio ? $" against {Milliseconds.Format(cold.WarmMs!.Value)} warm ({Ratio(ratio)})" : "";
            var status = cold.FirstRequestStatus?.ToString(CultureInfo.InvariantCulture) ?? "no answer";
            details.AddRow(new Text("cold start"), new Text($"first request {Milliseconds.Format(cold.FirstRequestMs)}{versus}, status {status}; ready {Seconds(cold.ReadyAfterMs / 1000)} after the restart"));
        }

        details.AddRow(new Text("tokens"), new Text(report.Tokens is { } tokens
            ? $"{Number(tokens.TotalTokens)} per request (prompt {Number(tokens.PromptTokens)}, completion {Number(tokens.CompletionTokens)}) in {tokens.Responses} of {report.Requests} answers; {Number(tokens.TokensPerSecond)} tokens/s"
            : "no answer carried a usage object"));
        details.AddRow(new Text("cpu, memory"), new Text(report.Resources is { } used
            ? $"cpu avg {Number(used.CpuPercentAvg)}%, max {Number(used.CpuPercentMax)}%; memory max {Bytes(used.MemoryBytesMax)} ({used.Samples} samples)"
            : "not sampled"));
        if (report.Gateway is { } gateway)
        {
            details.AddRow(new Text("gateway"), new Text(Gateway(gateway)));
        }

        console.Write(details);
        console.WriteLine();
    }

    /// <summary>Both runs' headline figures side by side with the candidate's over the baseline's.</summary>
    public static void WriteComparison(IAnsiConsole console, BenchComparison comparison)
    {
        var (a, b, ratio) = (comparison.Baseline, comparison.Candidate, comparison.Ratio);
        var table = new Table().NoBorder().AddColumns("", a.Agent, b.Agent, $"RATIO ({b.Agent} / {a.Agent})");
        void Row(string name, string first, string second, double? quotient) =>
            table.AddRow(new Text(name), new Text(first), new Text(second), new Text(quotient is { } q ? Ratio(q) : "-"));
        Row("p50", Ms(a.LatencyMs?.P50), Ms(b.LatencyMs?.P50), ratio.P50);
        Row("p95", Ms(a.LatencyMs?.P95), Ms(b.LatencyMs?.P95), ratio.P95);
        Row("p99", Ms(a.LatencyMs?.P99), Ms(b.LatencyMs?.P99), ratio.P99);
        Row("max", Ms(a.LatencyMs?.Max), Ms(b.LatencyMs?.Max), ratio.Max);
        Row("req/s", Number(a.Throughput), Number(b.Throughput), ratio.Throughput);
        Row("success", Percent(a.SuccessRate), Percent(b.SuccessRate), ratio.SuccessRate);
        if (a.ColdStart is not null || b.ColdStart is not null)
        {
            Row("cold start", Ms(a.ColdStart?.FirstRequestMs), Ms(b.ColdStart?.FirstRequestMs), ratio.ColdStart);
        }

        if (a.Tokens is not null || b.Tokens is not null)
        {
            Row("tokens/req", a.Tokens is { } x ? Number(x.TotalTokens) : "-", b.Tokens is { } y ? Number(y.TotalTokens) : "-", ratio.TokensPerRequest);
        }

        foreach (var column in table.Columns)
        {
            column.PadRight(2);
        }

        console.MarkupLine("[bold]compared[/]");
        console.Write(table);
    }

    /// <summary>The agent's LLM calls through the gateway: <c>20 LLM calls: prompt 420 (cached 100), completion 160 tokens; cost 0.00252</c>.</summary>
    internal static string Gateway(GatewayUsage usage)
    {
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{Thousands(usage.Calls)} LLM call{(usage.Calls == 1 ? "" : "s")}: ")
            .Append(CultureInfo.InvariantCulture, $"prompt {Thousands(usage.PromptTokens)} (cached {Thousands(usage.CachedTokens)}), ")
            .Append(CultureInfo.InvariantCulture, $"completion {Thousands(usage.CompletionTokens)} tokens; cost {UsageTable.Cost(usage.Cost)}");
        if (usage.CacheHits > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"; {Thousands(usage.CacheHits)} answered from Berth's cache");
        }

        if (usage.InFlight > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"; {Thousands(usage.InFlight)} still in flight, their tokens and cost not counted yet");
        }

        return text.ToString();
    }

    private static string Thousands(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    private static Text Count(int value) => new(value.ToString(CultureInfo.InvariantCulture));

    private static Markup Success(double rate) =>
        new(rate >= 1 ? $"[green]{Percent(rate)}[/]" : rate >= 0.99 ? $"[yellow]{Percent(rate)}[/]" : $"[red]{Percent(rate)}[/]");

    private static Text Latency(double? milliseconds) => new(Ms(milliseconds));

    private static string Ms(double? milliseconds) => milliseconds is { } ms ? Milliseconds.Format(ms) : "-";

    private static string Percent(double rate) => (rate * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Seconds(double seconds) => seconds.ToString("0.00", CultureInfo.InvariantCulture) + "s";

    private static string Number(double value) => value.ToString(value >= 100 ? "#,0" : "0.0", CultureInfo.InvariantCulture);

    private static string Ratio(double ratio) => ratio.ToString("0.00", CultureInfo.InvariantCulture) + "×";

    private static string Bytes(long bytes) =>
        bytes >= 1 << 30 ? (bytes / (double)(1 << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB"
        : (bytes / (double)(1 << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";
}
