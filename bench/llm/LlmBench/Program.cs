using System.Net;
using System.Runtime.InteropServices;

namespace Berth.Bench.Llm;

/// <summary>
/// The LLM gateway benchmark's two processes, by verb. <c>provider</c> runs the fake OpenAI-compatible provider;
/// <c>run</c> points a running Berth server's gateway at it and measures the latency the gateway adds, time to first token
/// and calls per second, then checks the usage ledger. run.sh starts both per store; see README.md next to run.sh.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var abort = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            abort.Cancel();
        };
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            abort.Cancel();
        });

        try
        {
            return args switch
            {
                ["provider", .. var rest] => await ProviderHost.RunAsync(rest, abort.Token),
                ["run", .. var rest] => await RunAsync(BenchOptions.Parse(rest), abort.Token),
                _ => throw new BenchException("usage: llm-bench provider --url-file FILE | llm-bench run --server URL --token-file FILE --provider URL [...]"),
            };
        }
        catch (BenchException ex)
        {
            // Wrong arguments (a run's own failures are reported by RunAsync, as a row of the table).
            await Console.Error.WriteLineAsync($"llm-bench: {ex.Message}");
            return 2;
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("llm-bench: interrupted");
            return 130;
        }
    }

    private static async Task<int> RunAsync(BenchOptions options, CancellationToken abort)
    {
        var time = TimeProvider.System;
        // One connection per call in flight on each way; the timeout turns a hung call into an error, not a hung benchmark.
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30), DefaultRequestVersion = HttpVersion.Version11 };
        var setup = new GatewaySetup(http, options.Server, options.Token);
        var direct = new ChatTarget("direct", http, options.Provider, GatewaySetup.ProviderKey, time);
        var berth = new ChatTarget("berth", http, setup.GatewayBaseUrl, options.Token, time);
        Outcome outcome;
        try
        {
            await setup.ApplyAsync(options.Provider, abort);
            // The provider's usage per call, for the ledger check; and each way answers before anything is timed.
            var perCall = await direct.UsageOfOneCallAsync(abort);
            await berth.CompleteAsync(abort);
            await berth.StreamAsync(abort);
            var latency = await new LatencyRun(options, direct, berth, time, Console.Error).RunAsync(abort);
            // Through Berth first: the fake keeps every call it receives, and the direct run sends it ten times as many, so
            // the Berth run would otherwise meet a provider with a far larger heap than the latency rounds did.
            var throughput = new ThroughputRun(options, time, Console.Error);
            var berthRun = await throughput.RunAsync(berth, abort);
            var usage = await new UsageLedger(http, options.Server, options.Token, time).CheckAsync(berth.Sent, perCall, abort);
            var directRun = await throughput.RunAsync(direct, abort);
            outcome = new Outcome { Options = options, Latency = latency, Direct = directRun, Berth = berthRun, Usage = usage };
        }
        catch (Exception ex) when (ex is BenchException or HttpRequestException || (ex is TaskCanceledException && !abort.IsCancellationRequested))
        {
            await Console.Error.WriteLineAsync($"llm-bench: {options.Store}: FAILED: {ex.Message}");
            await WriteRowsAsync(options, [$"failed\t{options.Store}\t{ex.Message.ReplaceLineEndings(" ")}"]);
            return 1;
        }

        outcome.Describe(Console.Out);
        await WriteRowsAsync(options, outcome.Rows());
        return outcome.Failed ? 1 : 0;
    }

    private static async Task WriteRowsAsync(BenchOptions options, IEnumerable<string> rows)
    {
        if (options.ResultFile is { } file)
        {
            await File.AppendAllLinesAsync(file, rows);
        }
    }
}
