using System.Diagnostics;
using Berth.Core.Llm;
using Berth.Core.Storage;
using Berth.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Bench.Budgets;

/// <summary>
/// What the budget check costs an agent's LLM call as the agent's ledger grows. For each ledger size it first records
/// unbudgeted calls of the agent until its ledger holds that many (no budget, so nothing is checked), then sets a daily token
/// budget and a monthly cost budget on it, both far from reached, times <c>--timed</c> calls reserved and settled against
/// them one at a time, and removes the budgets again. The calls go straight to the store, as the gateway records them:
/// no HTTP, no provider, so the figures are the ledger's alone.
///
///   budget-bench --store sqlite:FILE|postgres://… [--sizes 0,10000,100000] [--timed 200]
/// </summary>
internal static class Program
{
    private const string Agent = "bench-agent";

    public static async Task<int> Main(string[] args)
    {
        var options = Options.Parse(args);
        if (options is null)
        {
            await Console.Error.WriteLineAsync("usage: budget-bench --store sqlite:FILE|postgres://URL [--sizes 0,10000,100000] [--timed 200]");
            return 2;
        }

        // The stores log through ILogger; the bench prints its own figures and nothing else.
        var services = new ServiceCollection().AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        _ = options.Store.StartsWith("sqlite:", StringComparison.Ordinal)
            ? services.AddSqliteStore(options.Store["sqlite:".Length..])
            : services.AddPostgresStore(options.Store);
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<IStoreInitializer>().InitializeAsync(CancellationToken.None);
        var calls = provider.GetRequiredService<ILlmCallStore>();
        var budgets = provider.GetRequiredService<ILlmBudgetStore>();

        Console.WriteLine("ledger calls  reserve p50  reserve p99  reserve max  settle p50  settle p99  (ms, one call at a time)");
        long recorded = 0;
        foreach (var size in options.Sizes)
        {
            for (; recorded < size; recorded++)
            {
                await RecordAsync(calls, null, null);
            }

            await budgets.SetAsync(new LlmBudget { Scope = BudgetScope.Agent, Name = Agent, Period = BudgetPeriod.Day, MaxTokens = long.MaxValue / 4 }, DateTimeOffset.UtcNow, CancellationToken.None);
            await budgets.SetAsync(new LlmBudget { Scope = BudgetScope.Agent, Name = Agent, Period = BudgetPeriod.Month, MaxCost = 1_000_000m }, DateTimeOffset.UtcNow, CancellationToken.None);
            var reserve = new List<double>();
            var settle = new List<double>();
            for (var i = 0; i < options.Timed; i++, recorded++)
            {
                await RecordAsync(calls, reserve, settle);
            }

            await budgets.DeleteAsync(BudgetScope.Agent, Agent, BudgetPeriod.Day, CancellationToken.None);
            await budgets.DeleteAsync(BudgetScope.Agent, Agent, BudgetPeriod.Month, CancellationToken.None);
            var (r, s) = (new Messaging.Percentiles(reserve), new Messaging.Percentiles(settle));
            Console.WriteLine($"{size,12}  {r.At(50),11:F2}  {r.At(99),11:F2}  {r.Max,11:F2}  {s.At(50),10:F2}  {s.At(99),10:F2}");
        }

        return 0;
    }

    private static async Task RecordAsync(ILlmCallStore calls, List<double>? reserve, List<double>? settle)
    {
        var started = new LlmCallStart
        {
            Id = Guid.NewGuid().ToString("N"),
            StartedAt = DateTimeOffset.UtcNow,
            Endpoint = "bench",
            Provider = ModelProvider.OpenAI,
            Operation = "chat",
            Model = "gpt-4o-mini",
            UpstreamModel = "gpt-4o-mini",
            Caller = Agent,
            Agent = Agent,
            ReservedTokens = 114,
            ReservedNanos = 1_000,
        };
        var clock = Stopwatch.StartNew();
        if (await calls.RecordStartAsync(started, CancellationToken.None) is { } refused)
        {
            throw new InvalidOperationException($"call refused by {refused.Status.Budget.Subject}'s budget; the bench's budgets are meant to be out of reach");
        }

        reserve?.Add(clock.Elapsed.TotalMilliseconds);
        clock.Restart();
        await calls.RecordEndAsync(
            new LlmCallEnd { Id = started.Id, FinishedAt = DateTimeOffset.UtcNow, Succeeded = true, Status = 200, Attempts = 1, Usage = new TokenUsage(21, 0, 8), CostNanos = 132 },
            CancellationToken.None);
        settle?.Add(clock.Elapsed.TotalMilliseconds);
    }

    private sealed record Options(string Store, IReadOnlyList<long> Sizes, int Timed)
    {
        public static Options? Parse(string[] args)
        {
            string? store = null;
            IReadOnlyList<long> sizes = [0, 10_000, 100_000];
            var timed = 200;
            for (var i = 0; i + 1 < args.Length; i += 2)
            {
                switch (args[i])
                {
                    case "--store": store = args[i + 1]; break;
                    case "--sizes": sizes = [.. args[i + 1].Split(',').Select(long.Parse).Order()]; break;
                    case "--timed": timed = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
                    default: return null;
                }
            }

            return store is null || args.Length % 2 != 0 ? null : new Options(store, sizes, timed);
        }
    }
}
