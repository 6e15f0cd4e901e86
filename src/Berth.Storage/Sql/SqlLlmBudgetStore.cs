using Berth.Core.Llm;
using Berth.Core.Storage;
using Berth.Storage.Mapping;
using Dapper;

namespace Berth.Storage.Sql;

/// <summary>Agents' LLM budgets in the <c>llm_budgets</c> table (scope <c>agent</c>; the ledger checks them as it reserves).</summary>
internal sealed class SqlLlmBudgetStore(StoreDatabase database) : ILlmBudgetStore
{
    private const string Upsert = """
        INSERT INTO llm_budgets (scope, subject, period, max_tokens, max_nanos, created_at, updated_at)
        VALUES ('agent', @Agent, @Period, @MaxTokens, @MaxNanos, @Now, @Now)
        ON CONFLICT (scope, subject, period) DO UPDATE SET max_tokens = excluded.max_tokens, max_nanos = excluded.max_nanos, updated_at = excluded.updated_at
        """;

    public async Task<IReadOnlyList<BudgetStatus>> ListAsync(string? agent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<LlmBudgetRows.Row>(new CommandDefinition(
            LlmBudgetRows.Select(agent is null ? "" : "AND subject = @Agent", ""), new { Agent = agent }, cancellationToken: cancellationToken));
        var statuses = new List<BudgetStatus>();
        foreach (var row in rows)
        {
            statuses.Add(await LlmBudgetRows.StatusAsync(connection, null, LlmBudgetRows.ToBudget(row), now, cancellationToken));
        }

        return statuses;
    }

    public async Task SetAsync(LlmBudget budget, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(budget);
        await database.LockingWriteAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(Upsert, new
        {
            budget.Agent,
            Period = LlmBudgetRows.PeriodName(budget.Period),
            budget.MaxTokens,
            MaxNanos = budget.MaxCost is { } cost ? (long?)decimal.Round(cost * 1_000_000_000m, MidpointRounding.AwayFromZero) : null,
            Now = StoredTime.Format(now),
        }, transaction, cancellationToken: cancellationToken)), cancellationToken);
    }

    public async Task<bool> DeleteAsync(string agent, BudgetPeriod period, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM llm_budgets WHERE scope = 'agent' AND subject = @Agent AND period = @Period",
            new { Agent = agent, Period = LlmBudgetRows.PeriodName(period) }, cancellationToken: cancellationToken)) > 0;
    }
}
