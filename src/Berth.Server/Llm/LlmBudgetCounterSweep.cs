using Berth.Core.Storage;
using Berth.Server.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Llm;

/// <summary>
/// Drops the usage counters of budget windows no call has moved for a day: past days, months and runs. Dropping one that is
/// still open costs only a sum of its calls when a call is next checked against it. Once at start, then every hour.
/// </summary>
internal sealed class LlmBudgetCounterSweep(ILlmBudgetStore budgets, TimeProvider time, ILogger<LlmBudgetCounterSweep> logger) : HourlyRetention(time, logger)
{
    private static readonly TimeSpan IdleAfter = TimeSpan.FromDays(1);

    protected override string Described => "LLM budget counters no call moved for a day";

    protected override Task<int> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        budgets.DropIdleCountersAsync(now - IdleAfter, cancellationToken);
}
