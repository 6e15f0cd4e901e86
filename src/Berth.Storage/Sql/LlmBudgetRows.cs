using System.Data.Common;
using Berth.Core.Llm;
using Berth.Storage.Mapping;
using Dapper;

namespace Berth.Storage.Sql;

/// <summary>
/// Reading <c>llm_budgets</c> rows, and what the calls a budget limits have used in its window: the one way budgets are checked
/// (as a call is reserved) and shown.
/// </summary>
internal static class LlmBudgetRows
{
    // A call in flight, or lost in flight, counts its estimate, which is never less than it may use; a settled one what its
    // provider reported.
    private const string Used = """
        SELECT CAST(COALESCE(SUM(CASE WHEN state IN ('reserved', 'lost') THEN reserved_tokens ELSE prompt_tokens + completion_tokens END), 0) AS bigint) AS Tokens,
               CAST(COALESCE(SUM(CASE WHEN state IN ('reserved', 'lost') THEN reserved_nanos ELSE cost_nanos END), 0) AS bigint) AS Nanos
        FROM llm_calls
        """;

    private const string LatestRun = "SELECT run_id FROM llm_calls WHERE workflow = @Name ORDER BY started_at DESC LIMIT 1";

    /// <summary>The rows <paramref name="where"/> (starting with <c>AND</c>) picks, in the one order they are locked in.</summary>
    public static string Select(string where, string lockRows) =>
        $"SELECT scope AS Scope, subject AS Name, period AS Period, max_tokens AS MaxTokens, max_nanos AS MaxNanos FROM llm_budgets WHERE 1 = 1 {where} ORDER BY scope, subject, period {lockRows}";

    public static LlmBudget ToBudget(Row row) => new()
    {
        Scope = row.Scope == BudgetScope.Workflow.WireName() ? BudgetScope.Workflow : BudgetScope.Agent,
        Name = row.Name,
        Period = BudgetNames.TryParsePeriod(row.Period, out var period) ? period : BudgetPeriod.Day,
        MaxTokens = row.MaxTokens,
        MaxCost = row.MaxNanos is { } nanos ? TokenUsage.FromNanos(nanos) : null,
    };

    /// <summary>
    /// What <paramref name="budget"/>'s window holding <paramref name="now"/> has used. A per-run budget counts the calls of
    /// <paramref name="runId"/>, or when it is null of the workflow's latest run that made calls.
    /// </summary>
    public static async Task<BudgetStatus> StatusAsync(
        DbConnection connection, DbTransaction? transaction, LlmBudget budget, DateTimeOffset now, string? runId, CancellationToken cancellationToken)
    {
        if (budget.Period == BudgetPeriod.Run)
        {
            runId ??= await connection.QueryFirstOrDefaultAsync<string?>(new CommandDefinition(LatestRun, new { budget.Name }, transaction, cancellationToken: cancellationToken));
            (long Tokens, long Nanos) ofRun = runId is null ? (0, 0) : await UsedAsync("WHERE run_id = @RunId", new { RunId = runId });
            return new BudgetStatus { Budget = budget, RunId = runId, UsedTokens = ofRun.Tokens, UsedCost = TokenUsage.FromNanos(ofRun.Nanos) };
        }

        // The column is the scope's fixed name (agent or workflow); the subject and time are parameters.
        var used = await UsedAsync($"WHERE {budget.Scope.WireName()} = @Name AND started_at >= @Since", new { budget.Name, Since = StoredTime.Format(LlmBudget.WindowStart(budget.Period, now)) });
        return new BudgetStatus
        {
            Budget = budget, UsedTokens = used.Tokens, UsedCost = TokenUsage.FromNanos(used.Nanos), ResetsAt = LlmBudget.WindowEnd(budget.Period, now),
        };

        Task<(long Tokens, long Nanos)> UsedAsync(string where, object parameters) =>
            connection.QuerySingleAsync<(long Tokens, long Nanos)>(new CommandDefinition($"{Used} {where}", parameters, transaction, cancellationToken: cancellationToken));
    }

    internal sealed class Row
    {
        public string Scope { get; init; } = string.Empty;

        public string Name { get; init; } = string.Empty;

        public string Period { get; init; } = string.Empty;

        public long? MaxTokens { get; init; }

        public long? MaxNanos { get; init; }
    }
}
