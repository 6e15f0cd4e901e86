using System.Data.Common;
using Berth.Core.Llm;
using Berth.Core.Storage;
using Berth.Storage.Mapping;
using Dapper;

namespace Berth.Storage.Sql;

/// <summary>
/// The <c>llm_calls</c> table: a row per gateway call, written before the call goes out (checked against the budgets of the calling agent and of the run's workflow)
/// and settled after. The writes take turns on the budget rows they lock rather than detect conflicts: on PostgreSQL they run
/// <c>READ COMMITTED</c> (<see cref="StoreDatabase.LockingWriteAsync{T}"/>), where <c>SERIALIZABLE</c> cost a retry now and then
/// under load.
/// </summary>
internal sealed class SqlLlmCallStore(StoreDatabase database) : ILlmCallStore
{
    private const string Insert = """
        INSERT INTO llm_calls (id, started_at, state, endpoint, provider, operation, model, upstream_model, caller, agent, token_id,
            run_id, step_id, workflow, streamed, cache_hit, attempts, prompt_tokens, cached_tokens, completion_tokens, cost_nanos,
            reserved_tokens, reserved_nanos)
        VALUES (@Id, @StartedAt, 'reserved', @Endpoint, @Provider, @Operation, @Model, @UpstreamModel, @Caller, @Agent, @TokenId,
            @RunId, @StepId, @Workflow, @Streamed, 0, 0, 0, 0, 0, 0, @ReservedTokens, @ReservedNanos)
        """;

    private const string RunWorkflow = "SELECT workflow_name FROM runs WHERE id = @RunId";

    // Only a call still counted at its estimate is settled, so settling it twice cannot move a budget's counter twice; it
    // returns what decides the budget windows the call counts in.
    private const string Settle = """
        UPDATE llm_calls SET state = @State, finished_at = @FinishedAt, served_by = @ServedBy, status = @Status, attempts = @Attempts,
            failovers = @Failovers, error = @Error, cache_hit = @CacheHit, prompt_tokens = @Prompt, cached_tokens = @Cached,
            completion_tokens = @Completion, cost_nanos = @CostNanos, latency_us = @LatencyUs
        WHERE id = @Id AND state IN ('reserved', 'lost')
        RETURNING agent AS Agent, workflow AS Workflow, run_id AS RunId, started_at AS StartedAt, reserved_tokens AS ReservedTokens, reserved_nanos AS ReservedNanos
        """;

    public async Task<BudgetRefusal?> RecordStartAsync(LlmCallStart started, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(started);
        return await database.LockingWriteAsync(async (connection, transaction) =>
        {
            // A run's workflow comes from the run itself, in the same transaction, so a workflow's budgets count the call.
            var workflow = started.RunId is { } runId
                ? await connection.QueryFirstOrDefaultAsync<string?>(new CommandDefinition(RunWorkflow, new { RunId = runId }, transaction, cancellationToken: cancellationToken))
                : null;
            // The budgets' rows are locked first, in one order (PostgreSQL), so reservations against them take turns across
            // servers and each counts what the one before committed.
            var budgets = await LockBudgetsAsync(connection, transaction, started.Agent, workflow, cancellationToken);
            foreach (var budget in budgets)
            {
                var status = await LlmBudgetRows.StatusAsync(connection, transaction, budget, started.StartedAt, started.RunId, keep: true, cancellationToken);
                if (Refuse(status, started) is { } refusal)
                {
                    return refusal;
                }
            }

            await connection.ExecuteAsync(new CommandDefinition(Insert, InsertParameters(started, workflow), transaction, cancellationToken: cancellationToken));
            if (budgets.Count > 0)
            {
                await LlmBudgetRows.AddAsync(
                    connection, transaction, new(started.Agent, workflow, started.RunId, started.StartedAt), started.ReservedTokens, started.ReservedNanos, started.StartedAt, cancellationToken);
            }

            return null;
        }, cancellationToken);
    }

    /// <summary>The budgets of <paramref name="agent"/> and <paramref name="workflow"/>, their rows locked in one order until the transaction ends.</summary>
    private async Task<IReadOnlyList<LlmBudget>> LockBudgetsAsync(DbConnection connection, DbTransaction transaction, string? agent, string? workflow, CancellationToken cancellationToken)
    {
        if (agent is null && workflow is null)
        {
            return [];
        }

        var rows = await connection.QueryAsync<LlmBudgetRows.Row>(new CommandDefinition(
            LlmBudgetRows.Select("AND ((scope = 'agent' AND subject = @Agent) OR (scope = 'workflow' AND subject = @Workflow))", database.Dialect.LockRows),
            new { Agent = agent, Workflow = workflow }, transaction, cancellationToken: cancellationToken));
        return [.. rows.Select(LlmBudgetRows.ToBudget)];
    }

    private static object InsertParameters(LlmCallStart started, string? workflow) => new
    {
        started.Id,
        StartedAt = StoredTime.Format(started.StartedAt),
        started.Endpoint,
        Provider = started.Provider.WireName(),
        started.Operation,
        started.Model,
        started.UpstreamModel,
        started.Caller,
        started.Agent,
        started.TokenId,
        started.RunId,
        started.StepId,
        Workflow = workflow,
        Streamed = started.Streamed ? 1 : 0,
        started.ReservedTokens,
        started.ReservedNanos,
    };

    private static BudgetRefusal? Refuse(BudgetStatus status, LlmCallStart started)
    {
        var cost = TokenUsage.FromNanos(started.ReservedNanos);
        var byTokens = status.Budget.MaxTokens is { } maxTokens && status.UsedTokens + started.ReservedTokens > maxTokens;
        var byCost = status.Budget.MaxCost is { } maxCost && status.UsedCost + cost > maxCost;
        return byTokens || byCost
            ? new BudgetRefusal { Status = status, EstimatedTokens = started.ReservedTokens, EstimatedCost = cost, ByCost = !byTokens }
            : null;
    }

    /// <summary>
    /// Settles a reserved (or lost) call with what it used, then moves its budgets' counters from its estimate to that. The
    /// budget rows are locked after the call's row, as a reservation locks them before it sums a window: a counter made from
    /// the sum counts the call at its estimate (this settle not yet committed) and this settle then moves it, or counts what
    /// this settle stored.
    /// </summary>
    public async Task RecordEndAsync(LlmCallEnd ended, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ended);
        await database.LockingWriteAsync(async (connection, transaction) =>
        {
            var call = await connection.QuerySingleOrDefaultAsync<Reserved>(new CommandDefinition(Settle, new
            {
                ended.Id,
                State = ended.Succeeded ? "settled" : "failed",
                FinishedAt = StoredTime.Format(ended.FinishedAt),
                ended.ServedBy,
                Status = (long?)ended.Status,
                Attempts = (long)ended.Attempts,
                ended.Failovers,
                ended.Error,
                CacheHit = ended.CacheHit ? 1 : 0,
                ended.Usage.Prompt,
                ended.Usage.Cached,
                ended.Usage.Completion,
                ended.CostNanos,
                LatencyUs = (long)(ended.Latency.Ticks / TimeSpan.TicksPerMicrosecond),
            }, transaction, cancellationToken: cancellationToken));
            if (call is not null && StoredTime.TryParse(call.StartedAt, out var startedAt)
                && (await LockBudgetsAsync(connection, transaction, call.Agent, call.Workflow, cancellationToken)).Count > 0)
            {
                await LlmBudgetRows.AddAsync(
                    connection, transaction, new(call.Agent, call.Workflow, call.RunId, startedAt),
                    ended.Usage.Prompt + ended.Usage.Completion - call.ReservedTokens, ended.CostNanos - call.ReservedNanos, ended.FinishedAt, cancellationToken);
            }

            return call is null ? 0 : 1;
        }, cancellationToken);
    }

    public async Task<int> MarkLostAsync(DateTimeOffset before, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE llm_calls SET state = 'lost', finished_at = @Now, error = @Error WHERE state = 'reserved' AND started_at < @Before",
            new { Before = StoredTime.Format(before), Now = StoredTime.Format(now), Error = "never settled: its server stopped or lost the store while the call was out" },
            cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<UsageGroup>> SummarizeAsync(UsageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        // Each key is a fixed expression of this class's own, never text from the query.
        var key = query.By switch
        {
            UsageGrouping.Agent => "caller",
            UsageGrouping.Model => "upstream_model",
            UsageGrouping.Run => "run_id",
            UsageGrouping.Day => "substr(started_at, 1, 10)",
            UsageGrouping.Endpoint => "endpoint",
            UsageGrouping.Workflow => "workflow",
            _ => throw new ArgumentOutOfRangeException(nameof(query), query.By, "unknown grouping"),
        };
        var sql = $"""
            SELECT {key} AS Key, COUNT(*) AS Calls, CAST(SUM(CASE WHEN state = 'reserved' THEN 1 ELSE 0 END) AS bigint) AS InFlight,
                CAST(SUM(cache_hit) AS bigint) AS CacheHits,
                CAST(SUM(prompt_tokens) AS bigint) AS PromptTokens,
                CAST(SUM(cached_tokens) AS bigint) AS CachedTokens, CAST(SUM(completion_tokens) AS bigint) AS CompletionTokens,
                CAST(SUM(cost_nanos) AS bigint) AS CostNanos
            FROM llm_calls
            WHERE started_at >= @Since AND (@Agent IS NULL OR agent = @Agent) AND (@RunId IS NULL OR run_id = @RunId)
                AND (@Workflow IS NULL OR workflow = @Workflow)
            GROUP BY {key}
            ORDER BY {key}
            """;
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<GroupRow>(new CommandDefinition(
            sql, new { Since = StoredTime.Format(query.Since), query.Agent, query.RunId, query.Workflow }, cancellationToken: cancellationToken));
        return rows.Select(r => new UsageGroup
        {
            Key = r.Key,
            Calls = r.Calls,
            InFlight = r.InFlight,
            CacheHits = r.CacheHits,
            PromptTokens = r.PromptTokens,
            CachedTokens = r.CachedTokens,
            CompletionTokens = r.CompletionTokens,
            Cost = TokenUsage.FromNanos(r.CostNanos),
        }).ToList();
    }

    private sealed class GroupRow
    {
        public string? Key { get; init; }

        public long Calls { get; init; }

        public long InFlight { get; init; }

        public long CacheHits { get; init; }

        public long PromptTokens { get; init; }

        public long CachedTokens { get; init; }

        public long CompletionTokens { get; init; }

        public long CostNanos { get; init; }
    }

    private sealed class Reserved
    {
        public string? Agent { get; init; }

        public string? Workflow { get; init; }

        public string? RunId { get; init; }

        public string StartedAt { get; init; } = string.Empty;

        public long ReservedTokens { get; init; }

        public long ReservedNanos { get; init; }
    }
}
