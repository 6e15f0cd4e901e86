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

    private const string ReadCounter = """
        SELECT tokens AS Tokens, nanos AS Nanos FROM llm_budget_usage
        WHERE scope = @Scope AND subject = @Name AND period = @Period AND window_key = @Window
        """;

    private const string KeepCounter = """
        INSERT INTO llm_budget_usage (scope, subject, period, window_key, tokens, nanos, updated_at)
        VALUES (@Scope, @Name, @Period, @Window, @Tokens, @Nanos, @Now)
        ON CONFLICT (scope, subject, period, window_key) DO NOTHING
        """;

    private const string Add = """
        UPDATE llm_budget_usage SET tokens = tokens + @Tokens, nanos = nanos + @Nanos, updated_at = @Now
        WHERE (scope = 'agent' AND subject = @Agent AND ((period = 'day' AND window_key = @Day) OR (period = 'month' AND window_key = @Month)))
           OR (scope = 'workflow' AND subject = @Workflow
               AND ((period = 'day' AND window_key = @Day) OR (period = 'month' AND window_key = @Month) OR (period = 'run' AND window_key = @RunId)))
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
    /// What <paramref name="budget"/>'s window holding <paramref name="now"/> has used: its counter in <c>llm_budget_usage</c>, or
    /// the sum of the window's calls when it has none yet, which <paramref name="keep"/> stores as the counter (only under the
    /// lock on the budget's row, so no settle or reservation moves the calls between the sum and the insert). A per-run budget
    /// counts the calls of <paramref name="runId"/>, or when it is null of the workflow's latest run that made calls.
    /// </summary>
    public static async Task<BudgetStatus> StatusAsync(
        DbConnection connection, DbTransaction? transaction, LlmBudget budget, DateTimeOffset now, string? runId, bool keep, CancellationToken cancellationToken)
    {
        if (budget.Period == BudgetPeriod.Run)
        {
            runId ??= await connection.QueryFirstOrDefaultAsync<string?>(new CommandDefinition(LatestRun, new { budget.Name }, transaction, cancellationToken: cancellationToken));
            (long Tokens, long Nanos) ofRun = runId is null ? (0, 0) : await UsedAsync(runId, "WHERE run_id = @Window", new { Window = runId });
            return new BudgetStatus { Budget = budget, RunId = runId, UsedTokens = ofRun.Tokens, UsedCost = TokenUsage.FromNanos(ofRun.Nanos) };
        }

        // The column is the scope's fixed name (agent or workflow); the subject and time are parameters.
        var since = StoredTime.Format(LlmBudget.WindowStart(budget.Period, now));
        var used = await UsedAsync(since, $"WHERE {budget.Scope.WireName()} = @Name AND started_at >= @Window", new { budget.Name, Window = since });
        return new BudgetStatus
        {
            Budget = budget, UsedTokens = used.Tokens, UsedCost = TokenUsage.FromNanos(used.Nanos), ResetsAt = LlmBudget.WindowEnd(budget.Period, now),
        };

        async Task<(long Tokens, long Nanos)> UsedAsync(string window, string where, object parameters)
        {
            var key = new { Scope = budget.Scope.WireName(), budget.Name, Period = budget.Period.WireName(), Window = window };
            var counted = (await connection.QueryAsync<(long Tokens, long Nanos)>(new CommandDefinition(ReadCounter, key, transaction, cancellationToken: cancellationToken))).AsList();
            if (counted.Count == 1)
            {
                return counted[0];
            }

            var summed = await connection.QuerySingleAsync<(long Tokens, long Nanos)>(new CommandDefinition($"{Used} {where}", parameters, transaction, cancellationToken: cancellationToken));
            if (keep)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    KeepCounter, new { key.Scope, key.Name, key.Period, key.Window, summed.Tokens, summed.Nanos, Now = StoredTime.Format(now) }, transaction, cancellationToken: cancellationToken));
            }

            return summed;
        }
    }

    /// <summary>
    /// Moves by <paramref name="tokens"/> and <paramref name="nanos"/> every kept counter of the windows a call counts in: its
    /// agent's day and month, its workflow's day and month, and its run. A window without a counter is summed when next needed.
    /// </summary>
    public static Task AddAsync(
        DbConnection connection, DbTransaction transaction, CountedCall call, long tokens, long nanos, DateTimeOffset now, CancellationToken cancellationToken) =>
        tokens == 0 && nanos == 0
            ? Task.CompletedTask
            : connection.ExecuteAsync(new CommandDefinition(Add, new
            {
                call.Agent,
                call.Workflow,
                call.RunId,
                Day = StoredTime.Format(LlmBudget.WindowStart(BudgetPeriod.Day, call.StartedAt)),
                Month = StoredTime.Format(LlmBudget.WindowStart(BudgetPeriod.Month, call.StartedAt)),
                Tokens = tokens,
                Nanos = nanos,
                Now = StoredTime.Format(now),
            }, transaction, cancellationToken: cancellationToken));

    /// <summary>What of a call decides the budget windows it counts in.</summary>
    public sealed record CountedCall(string? Agent, string? Workflow, string? RunId, DateTimeOffset StartedAt);

    internal sealed class Row
    {
        public string Scope { get; init; } = string.Empty;

        public string Name { get; init; } = string.Empty;

        public string Period { get; init; } = string.Empty;

        public long? MaxTokens { get; init; }

        public long? MaxNanos { get; init; }
    }
}
