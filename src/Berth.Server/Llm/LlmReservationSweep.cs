using Berth.Core.Storage;
using Berth.Server.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Llm;

/// <summary>
/// Marks lost the LLM calls reserved more than a day ago and never settled: their server stopped, or lost the store, while
/// they were out. They leave the reports' in-flight count but stay counted at their estimate in budgets, because whether the
/// provider billed them is unknown. Once at start, then every hour.
/// </summary>
internal sealed class LlmReservationSweep(ILlmCallStore calls, TimeProvider time, ILogger<LlmReservationSweep> logger) : HourlyRetention(time, logger)
{
    /// <summary>How long a call may stay reserved before it is taken as lost: far past any call's timeouts, retries and stream.</summary>
    public static readonly TimeSpan LostAfter = TimeSpan.FromDays(1);

    protected override string Described => "LLM calls reserved over a day ago and never settled (they still count at their estimate)";

    protected override string Action => "Marked lost";

    protected override Task<int> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        calls.MarkLostAsync(now - LostAfter, now, cancellationToken);
}
