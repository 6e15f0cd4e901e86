using Berth.Client;

namespace Berth.Bench.Workflows;

/// <summary>
/// The workflow benchmark: (1) a chain of container steps against the same <c>docker run</c> commands, (2) a fully cached
/// 100-step workflow end to end, (3) planning a 1,000-step DAG in-process, (4) that DAG run fully cached on the server.
/// run.sh builds it, starts a Berth server on the Docker runtime and runs it; see README.md next to this file.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (BenchException ex)
        {
            await Console.Error.WriteLineAsync($"workflow-bench: {ex.Message}");
            return 2;
        }

        var report = new Report(Console.Out, Console.Error);
        if (options.Wants("plan"))
        {
            await Guard(report, "(3) planning", () =>
            {
                new PlanningBench(options, report).Run();
                return Task.CompletedTask;
            });
        }

        if (options.NeedsServer)
        {
            using var http = new HttpClient { BaseAddress = options.Server, Timeout = Timeout.InfiniteTimeSpan };
            using var client = new BerthClient(http) { Token = options.Token };
            var runs = new TimedRuns(client);
            if (options.Wants("chain"))
            {
                var chain = new ChainBench(options, runs, new DockerChain(options.Docker, options.Image), report);
                await Guard(report, "(1) chain", () => chain.RunAsync(stop.Token));
            }

            var cached = new CachedBench(options, runs, report);
            if (options.Wants("cached"))
            {
                await Guard(report, "(2) cached chain", () => cached.RunAsync(chain: true, stop.Token));
            }

            if (options.Wants("independent"))
            {
                await Guard(report, "(2b) cached, independent", () => cached.RunAsync(chain: false, stop.Token));
            }

            if (options.Wants("dag"))
            {
                await Guard(report, "(4) cached DAG", () => new DagBench(options, runs, report).RunAsync(stop.Token));
            }
        }

        report.Targets();
        return report.AnyFailed ? 1 : 0;
    }

    /// <summary>A part that fails is reported and the others still run.</summary>
    private static async Task Guard(Report report, string part, Func<Task> measure)
    {
        try
        {
            await measure();
        }
        catch (Exception ex) when (ex is BenchException or HttpRequestException or IOException or Berth.Client.Errors.BerthApiException
            or Berth.Client.Errors.BerthUnavailableException or OperationCanceledException)
        {
            report.Failed(part, ex.Message);
        }
    }
}
