using System.Data.Common;
using Berth.Core.Llm;
using Berth.Storage.Mapping;
using Dapper;

namespace Berth.Storage.Sql;

/// <summary>Reading <c>llm_budgets</c> rows, and what an agent's calls used since a time, the one way budgets are checked and shown.</summary>
internal static class LlmBudgetRows
{
    // A call in flight counts its estimate, which is never less than it may use; a settled one what its provider reported.
    private const string UsedSince = """
        SELECT CAST(COALESCE(SUM(CASE WHEN state = 'reserved' THEN reserved_tokens ELSE prompt_tokens + completion_tokens END), 0) AS bigint) AS Tokens,
               CAST(COALESCE(SUM(CASE WHEN state = 'reserved' THEN reserved_nanos ELSE cost_nanos END), 0) AS bigint) AS Nanos
        FROM llm_calls
        WHERE agent = @Agent AND started_at >= @Since
        """;

    public static string Select(string where, string lockRows) =>
        $"SELECT subject AS Agent, period AS Period, max_tokens AS MaxTokens, max_nanos AS MaxNanos FROM llm_budgets WHERE scope = 'agent' {where} ORDER BY subject, period {lockRows}";

    public static LlmBudget ToBudget(Row row) => new()
    {
        Agent = row.Agent,
        Period = row.Period == "month" ? BudgetPeriod.Month : BudgetPeriod.Day,
        MaxTokens = row.MaxTokens,
        MaxCost = row.MaxNanos is { } nanos ? TokenUsage.FromNanos(nanos) : null,
    };

    public static string PeriodName(BudgetPeriod period) => period == BudgetPeriod.Month ? "month" : "day";

    /// <summary>What <paramref name="budget"/>'s window holding <paramref name="now"/> has used.</summary>
    public static async Task<BudgetStatus> StatusAsync(DbConnection connection, DbTransaction? transaction, LlmBudget budget, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var used = await connection.QuerySingleAsync<(long Tokens, long Nanos)>(new CommandDefinition(
            UsedSince, new { budget.Agent, Since = StoredTime.Format(LlmBudget.WindowStart(budget.Period, now)) }, transaction, cancellationToken: cancellationToken));
        return new BudgetStatus
        {
            Budget = budget, UsedTokens = used.Tokens, UsedCost = TokenUsage.FromNanos(used.Nanos), ResetsAt = LlmBudget.WindowEnd(budget.Period, now),
        };
    }

    internal sealed class Row
    {
        public string Agent { get; init; } = string.Empty;

        public string Period { get; init; } = string.Empty;

        public long? MaxTokens { get; init; }

        public long? MaxNanos { get; init; }
    }
}
