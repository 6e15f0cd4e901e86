using System.Data.Common;
using Berth.Core.Storage;
using Berth.Core.Workflows.Runs;
using Berth.Storage.Mapping;
using Dapper;

namespace Berth.Storage.Sql;

/// <summary>
/// Runs in <c>runs</c>, their steps in <c>run_steps</c>, their streams in <c>run_events</c> and step results in
/// <c>step_cache</c>. Every write is one transaction that keeps out other writers of the same run, so event sequence numbers
/// are assigned from what it read and concurrent savers of one run can never take the same number or leave a gap. A run is
/// created under <see cref="StoreDatabase.WriteAsync{T}"/>; saves, which many step executors and servers make to one run at
/// once, lock the run's row first (<see cref="StoreDatabase.LockingWriteAsync{T}"/>) and so queue instead of conflicting.
/// </summary>
internal sealed partial class SqlRunStore(StoreDatabase database) : IRunStore
{
    private const string InsertRun =
        """
        INSERT INTO runs (id, workflow_name, spec, inputs, state, started_by, parent_run_id, created_at, finished_at, error, lease_owner, lease_expires_at, trigger)
        VALUES (@Id, @WorkflowName, @Spec, @Inputs, @State, @StartedBy, @ParentRunId, @CreatedAt, @FinishedAt, @Error, @LeaseOwner, @LeaseExpiresAt, @Trigger)
        """;

    // The lease is not written here: only ClaimAsync and RenewAsync move it, so a run object that still carries the lease it
    // was claimed with can never shorten a lease renewed since (which would let another server take a live run).
    private const string UpdateRun = "UPDATE runs SET state = @State, finished_at = @FinishedAt, error = @Error WHERE id = @Id";

    // A step saved that was not created with its run goes after the others.
    private const string UpsertStep =
        """
        INSERT INTO run_steps (run_id, step_id, position, state, attempt, started_at, finished_at, retry_at, outputs, failure, cache_key, container_id)
        VALUES (@RunId, @StepId, COALESCE(@Position, (SELECT MAX(position) + 1 FROM run_steps WHERE run_id = @RunId), 0), @State, @Attempt,
            @StartedAt, @FinishedAt, @RetryAt, @Outputs, @Failure, @CacheKey, @ContainerId)
        ON CONFLICT (run_id, step_id) DO UPDATE SET state = excluded.state, attempt = excluded.attempt, started_at = excluded.started_at,
            finished_at = excluded.finished_at, retry_at = excluded.retry_at, outputs = excluded.outputs, failure = excluded.failure,
            cache_key = excluded.cache_key, container_id = excluded.container_id
        """;

    private const string InsertEvent =
        """
        INSERT INTO run_events (run_id, sequence, time, type, step_id, attempt, message)
        VALUES (@RunId, @Sequence, @Time, @Type, @StepId, @Attempt, @Message)
        """;

    public async Task CreateAsync(WorkflowRun run, IReadOnlyList<StepRun> steps, RunEvent created, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(created);
        ArgumentException.ThrowIfNullOrEmpty(run.Id);
        CheckBelongs(run.Id, steps, [created]);
        var specOrder = run.Spec.Steps.Select((s, i) => (s.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        var positioned = steps.Select((s, i) => StepParameters(s, specOrder.TryGetValue(s.StepId, out var p) ? p : specOrder.Count + i)).ToList();
        await database.WriteAsync(async (connection, transaction) =>
        {
            try
            {
                await connection.ExecuteAsync(new CommandDefinition(InsertRun, RunParameters(run), transaction, cancellationToken: cancellationToken));
            }
            catch (Exception ex) when (database.IsUniqueViolation(ex))
            {
                throw new InvalidOperationException($"A run with id '{run.Id}' already exists; give the new run a new id.", ex);
            }

            await connection.ExecuteAsync(new CommandDefinition(UpsertStep, positioned, transaction, cancellationToken: cancellationToken));
            await AppendEventsAsync(connection, transaction, [created], cancellationToken);
        }, cancellationToken);
    }

    public async Task<WorkflowRun?> GetAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<RunRow>(new CommandDefinition(
            $"SELECT {RunRow.Columns} FROM runs WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken));
        return row?.ToRun();
    }

    public async Task<IReadOnlyList<WorkflowRun>> ListAsync(string? workflowName, RunState? state, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);

        // One statement per filter combination, so each is a plain equality the matching index serves.
        var where = (workflowName, state) switch
        {
            (null, null) => "",
            (null, _) => "WHERE state = @State",
            (_, null) => "WHERE workflow_name = @WorkflowName",
            _ => "WHERE workflow_name = @WorkflowName AND state = @State",
        };
        var parameters = new { WorkflowName = workflowName, State = state is { } s ? StoredEnum<RunState>.ToText(s) : null, Limit = limit };
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<RunRow>(new CommandDefinition(
            $"SELECT {RunRow.Columns} FROM runs {where} ORDER BY created_at DESC, id DESC LIMIT @Limit", parameters, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRun()).ToList();
    }

    public async Task<IReadOnlyList<StepRun>> GetStepsAsync(string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<StepRunRow>(new CommandDefinition(
            $"SELECT {StepRunRow.Columns} FROM run_steps WHERE run_id = @RunId ORDER BY position, step_id", new { RunId = runId }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToStep()).ToList();
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<StepState, int>>> CountStepsAsync(
        IReadOnlyList<string> runIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runIds);
        var counts = runIds.Distinct(StringComparer.Ordinal).ToDictionary(id => id, _ => new Dictionary<StepState, int>(), StringComparer.Ordinal);
        if (counts.Count > 0)
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            var rows = await connection.QueryAsync<(string RunId, string State, long Count)>(new CommandDefinition(
                $"SELECT run_id, state, COUNT(*) FROM run_steps WHERE {database.Dialect.InList("run_id", "@RunIds")} GROUP BY run_id, state",
                new { RunIds = counts.Keys.ToArray() },
                cancellationToken: cancellationToken));
            foreach (var (runId, state, count) in rows)
            {
                counts[runId][StoredJson.Enum<StepState>(state, $"Steps of run {runId}", "state")] = checked((int)count);
            }
        }

        return counts.ToDictionary(c => c.Key, c => (IReadOnlyDictionary<StepState, int>)c.Value, StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<RunEvent>> SaveAsync(WorkflowRun? run, IReadOnlyList<StepRun> steps, IReadOnlyList<RunEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(events);
        if (run is null && steps.Count == 0 && events.Count == 0)
        {
            return [];
        }

        var runIds = steps.Select(s => s.RunId).Concat(events.Select(e => e.RunId)).Append(run?.Id).OfType<string>()
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return await database.LockingWriteAsync(async (connection, transaction) =>
        {
            await LockRunsAsync(connection, transaction, runIds, cancellationToken);
            if (run is not null && await connection.ExecuteAsync(new CommandDefinition(UpdateRun, RunParameters(run), transaction, cancellationToken: cancellationToken)) == 0)
            {
                throw new ArgumentException($"Run {run.Id} was saved but is not stored; create it with CreateAsync first.", nameof(run));
            }

            try
            {
                await connection.ExecuteAsync(new CommandDefinition(UpsertStep, steps.Select(s => StepParameters(s, null)), transaction, cancellationToken: cancellationToken));
                return await AppendEventsAsync(connection, transaction, events, cancellationToken);
            }
            catch (Exception ex) when (database.IsForeignKeyViolation(ex))
            {
                throw new ArgumentException("A step or event was saved for a run that is not stored; create the run with CreateAsync first.", nameof(steps), ex);
            }
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<RunEvent>> GetEventsAsync(string runId, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<RunEventRow>(new CommandDefinition(
            $"SELECT {RunEventRow.Columns} FROM run_events WHERE run_id = @RunId AND sequence > @After ORDER BY sequence LIMIT @Limit",
            new { RunId = runId, After = afterSequence, Limit = limit },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToEvent()).ToList();
    }

    /// <summary>
    /// Locks the rows of <paramref name="runIds"/> (sorted, so two savers of the same runs cannot deadlock) until the transaction
    /// ends: a concurrent saver of one of them waits here, then reads what this one committed.
    /// </summary>
    private async Task LockRunsAsync(DbConnection connection, DbTransaction transaction, string[] runIds, CancellationToken cancellationToken)
    {
        if (database.Dialect.LockRows.Length > 0 && runIds.Length > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                $"SELECT id FROM runs WHERE {database.Dialect.InList("id", "@Ids")} ORDER BY id {database.Dialect.LockRows}",
                new { Ids = runIds },
                transaction,
                cancellationToken: cancellationToken));
        }
    }

    /// <summary>Numbers the events after the highest stored sequence of their run; must run inside the write transaction.</summary>
    private static async Task<IReadOnlyList<RunEvent>> AppendEventsAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<RunEvent> events, CancellationToken cancellationToken)
    {
        var next = new Dictionary<string, long>(StringComparer.Ordinal);
        var stored = new List<RunEvent>(events.Count);
        foreach (var e in events)
        {
            ArgumentNullException.ThrowIfNull(e);
            if (!next.TryGetValue(e.RunId, out var sequence))
            {
                sequence = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT COALESCE(MAX(sequence), 0) + 1 FROM run_events WHERE run_id = @RunId", new { e.RunId }, transaction, cancellationToken: cancellationToken));
            }

            next[e.RunId] = sequence + 1;
            stored.Add(e with { Sequence = sequence });
        }

        await connection.ExecuteAsync(new CommandDefinition(InsertEvent, stored.Select(EventParameters), transaction, cancellationToken: cancellationToken));
        return stored;
    }

    private static void CheckBelongs(string runId, IReadOnlyList<StepRun> steps, IReadOnlyList<RunEvent> events)
    {
        if (steps.FirstOrDefault(s => !string.Equals(s.RunId, runId, StringComparison.Ordinal)) is { } step)
        {
            throw new ArgumentException($"Step '{step.StepId}' belongs to run {step.RunId}, not to run {runId} being created.", nameof(steps));
        }

        if (events.FirstOrDefault(e => !string.Equals(e.RunId, runId, StringComparison.Ordinal)) is { } other)
        {
            throw new ArgumentException($"Event '{other.Type}' belongs to run {other.RunId}, not to run {runId} being created.", nameof(events));
        }
    }

    private static object RunParameters(WorkflowRun run) => new
    {
        run.Id,
        run.WorkflowName,
        Spec = StoredJson.Serialize(run.Spec),
        Inputs = StoredJson.Serialize(run.Inputs),
        State = StoredEnum<RunState>.ToText(run.State),
        run.StartedBy,
        run.ParentRunId,
        CreatedAt = StoredTime.Format(run.CreatedAt),
        FinishedAt = StoredTime.Format(run.FinishedAt),
        run.Error,
        run.LeaseOwner,
        LeaseExpiresAt = StoredTime.Format(run.LeaseExpiresAt),
        Trigger = run.Trigger is null ? null : StoredJson.Serialize(run.Trigger),
    };

    private static object StepParameters(StepRun step, int? position) => new
    {
        step.RunId,
        step.StepId,
        Position = position,
        State = StoredEnum<StepState>.ToText(step.State),
        step.Attempt,
        StartedAt = StoredTime.Format(step.StartedAt),
        FinishedAt = StoredTime.Format(step.FinishedAt),
        RetryAt = StoredTime.Format(step.RetryAt),
        Outputs = StoredJson.SerializeOrNull(step.Outputs),
        Failure = StoredJson.SerializeOrNull(step.Failure),
        step.CacheKey,
        step.ContainerId,
    };

    private static object EventParameters(RunEvent e) => new
    {
        e.RunId,
        e.Sequence,
        Time = StoredTime.Format(e.Time),
        e.Type,
        e.StepId,
        e.Attempt,
        e.Message,
    };
}
