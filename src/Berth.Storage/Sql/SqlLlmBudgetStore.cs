using Berth.Core.Llm;
using Berth.Core.Storage;
using Berth.Storage.Mapping;
using Dapper;

namespace Berth.Storage.Sql;

/// <summary>Agents' and workflows' LLM budgets in the <c>llm_budgets</c> table (the ledger checks them as it reserves).</summary>
internal sealed class SqlLlmBudgetStore(StoreDatabase database) : ILlmBudgetStore
{
    private const string Upsert = """
        INSERT INTO llm_budgets (scope, subject, period, max_tokens, max_nanos, created_at, updated_at)
        VALUES (@Scope, @Name, @Period, @MaxTokens, @MaxNanos, @Now, @Now)
        ON CONFLICT (scope, subject, period) DO UPDATE SET max_tokens = excluded.max_tokens, max_nanos = excluded.max_nanos, updated_at = excluded.updated_at
        """;

    public async Task<IReadOnlyList<BudgetStatus>> ListAsync(BudgetScope? scope, string? name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var where = (scope is null ? "" : "AND scope = @Scope ") + (name is null ? "" : "AND subject = @Name");
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<LlmBudgetRows.Row>(new CommandDefinition(
            LlmBudgetRows.Select(where, ""), new { Scope = scope is { } s ? s.WireName() : null, Name = name }, cancellationToken: cancellationToken));
        var statuses = new List<BudgetStatus>();
        foreach (var row in rows)
        {
            statuses.Add(await LlmBudgetRows.StatusAsync(connection, null, LlmBudgetRows.ToBudget(row), now, runId: null, keep: false, cancellationToken));
        }

        return statuses;
    }

    public async Task SetAsync(LlmBudget budget, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(budget);
        await database.LockingWriteAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(Upsert, new
        {
            Scope = budget.Scope.WireName(),
            budget.Name,
            Period = budget.Period.WireName(),
            budget.MaxTokens,
            MaxNanos = budget.MaxCost is { } cost ? TokenUsage.ToNanos(cost) : (long?)null,
            Now = StoredTime.Format(now),
        }, transaction, cancellationToken: cancellationToken)), cancellationToken);
    }

    /// <summary>Removes the budget and its counters, so a budget set again later sums its window afresh.</summary>
    public async Task<bool> DeleteAsync(BudgetScope scope, string name, BudgetPeriod period, CancellationToken cancellationToken)
    {
        var key = new { Scope = scope.WireName(), Name = name, Period = period.WireName() };
        return await database.LockingWriteAsync(async (connection, transaction) =>
        {
            var deleted = await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM llm_budgets WHERE scope = @Scope AND subject = @Name AND period = @Period", key, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM llm_budget_usage WHERE scope = @Scope AND subject = @Name AND period = @Period", key, transaction, cancellationToken: cancellationToken));
            return deleted > 0;
        }, cancellationToken);
    }

    public async Task<int> DropIdleCountersAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM llm_budget_usage WHERE updated_at < @Before", new { Before = StoredTime.Format(before) }, cancellationToken: cancellationToken));
    }
}
