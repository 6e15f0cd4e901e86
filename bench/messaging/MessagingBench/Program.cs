using System.Net;
using Berth.Client;
using Berth.Client.Errors;

namespace Berth.Bench.Messaging;

/// <summary>
/// The messaging benchmark's load generator: publishers and long-polling consumers against one subscription of a running
/// Berth server, publish to ack. run.sh starts a fresh server per backend and consumer count and runs this once per cell;
/// see README.md next to run.sh.
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

        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (BenchException ex)
        {
            await Console.Error.WriteLineAsync($"messaging-bench: {ex.Message}");
            return 2;
        }

        // One connection per request in flight (publishers, long-polls and acks never queue behind each other in the client).
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) };
        using var http = new HttpClient(handler) { BaseAddress = options.Server, Timeout = Timeout.InfiniteTimeSpan, DefaultRequestVersion = HttpVersion.Version11 };
        using var client = new BerthClient(http) { Token = options.Token };
        Outcome outcome;
        try
        {
            outcome = await new LoadRun(options, client, Console.Error).RunAsync(abort.Token);
        }
        catch (Exception ex) when (ex is BenchException or HttpRequestException or BerthApiException or BerthUnavailableException)
        {
            await Console.Error.WriteLineAsync($"messaging-bench: {options.Backend}, {options.Consumers} consumer(s): FAILED: {ex.Message}");
            await WriteRowAsync(options, $"{options.Backend}\t{options.Consumers}\t-\t-\t-\t-\t-\t-\tFAILED: {ex.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("messaging-bench: interrupted");
            return 130;
        }

        outcome.Describe(Console.Out);
        await WriteRowAsync(options, outcome.Row());
        return outcome.Status == "ok" ? 0 : 1;
    }

    private static async Task WriteRowAsync(BenchOptions options, string row)
    {
        if (options.ResultFile is { } file)
        {
            await File.AppendAllTextAsync(file, row + "\n");
        }
    }
}
