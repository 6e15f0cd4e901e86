using Berth.Core.Agents;
using Berth.Core.Storage;
using Berth.Storage.Mapping;
using Dapper;

namespace Berth.Storage.Sql;

/// <summary>Instances in the <c>instances</c> table, as the reconciler last observed them.</summary>
internal sealed class SqlInstanceStore(StoreDatabase database) : IInstanceStore
{
    private const string Columns =
        "instance_id AS InstanceId, agent_name AS AgentName, ordinal AS Ordinal, generation AS Generation, state AS State, " +
        "endpoint AS Endpoint, restart_count AS RestartCount, exit_code AS ExitCode, message AS Message, started_at AS StartedAt, " +
        "next_restart_at AS NextRestartAt, updated_at AS UpdatedAt";

    private const string SelectAll = $"SELECT {Columns} FROM instances ORDER BY agent_name, ordinal, instance_id";

    private const string SelectOfAgent = $"SELECT {Columns} FROM instances WHERE agent_name = @AgentName ORDER BY ordinal, instance_id";

    // The reconciler races with deletes: an instance of an agent that is gone is dropped silently (the WHERE EXISTS) rather
    // than failing the foreign key. On SQLite the statement holds the write lock from its start, so the check cannot go stale;
    // on PostgreSQL it reads a snapshot, and another server's delete committing after it is caught as the foreign key's refusal.
    private const string Upsert =
        """
        INSERT INTO instances (instance_id, agent_name, ordinal, generation, state, endpoint, restart_count, exit_code, message,
            started_at, next_restart_at, updated_at)
        SELECT @InstanceId, @AgentName, @Ordinal, @Generation, @State, @Endpoint, @RestartCount, @ExitCode, @Message,
            @StartedAt, @NextRestartAt, @UpdatedAt
        WHERE EXISTS (SELECT 1 FROM agents WHERE name = @AgentName)
        ON CONFLICT (instance_id) DO UPDATE SET
            agent_name = excluded.agent_name, ordinal = excluded.ordinal, generation = excluded.generation, state = excluded.state,
            endpoint = excluded.endpoint, restart_count = excluded.restart_count, exit_code = excluded.exit_code,
            message = excluded.message, started_at = excluded.started_at, next_restart_at = excluded.next_restart_at,
            updated_at = excluded.updated_at
        """;

    private readonly TableSnapshot<InstanceRecord> _all = new("instances");

    public async Task<IReadOnlyList<InstanceRecord>> ListAsync(string? agentName, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (agentName is null)
        {
            return await _all.ReadAsync(
                connection,
                async () => (await connection.QueryAsync<InstanceRow>(new CommandDefinition(SelectAll, cancellationToken: cancellationToken))).Select(r => r.ToRecord()),
                cancellationToken);
        }

        var rows = await connection.QueryAsync<InstanceRow>(new CommandDefinition(SelectOfAgent, new { AgentName = agentName }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task UpsertAsync(InstanceRecord instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentException.ThrowIfNullOrEmpty(instance.InstanceId);
        var parameters = new
        {
            instance.InstanceId,
            instance.AgentName,
            instance.Ordinal,
            instance.Generation,
            State = StoredEnum<InstanceState>.ToText(instance.State),
            Endpoint = instance.Endpoint?.OriginalString,
            instance.RestartCount,
            instance.ExitCode,
            instance.Message,
            StartedAt = StoredTime.Format(instance.StartedAt),
            NextRestartAt = StoredTime.Format(instance.NextRestartAt),
            UpdatedAt = StoredTime.Format(instance.UpdatedAt),
        };
        await using var connection = await database.OpenAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(Upsert, parameters, cancellationToken: cancellationToken));
        }
        catch (Exception ex) when (database.IsForeignKeyViolation(ex))
        {
            // The agent was deleted after the existence check read it: dropped, as when the check finds no agent. The statement
            // ran in a transaction of its own, so nothing else is lost with it.
        }
    }

    public async Task DeleteAsync(string instanceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM instances WHERE instance_id = @InstanceId", new { InstanceId = instanceId }, cancellationToken: cancellationToken));
    }

    private sealed class InstanceRow
    {
        public string InstanceId { get; init; } = "";

        public string AgentName { get; init; } = "";

        public long Ordinal { get; init; }

        public long Generation { get; init; }

        public string State { get; init; } = "";

        public string? Endpoint { get; init; }

        public long RestartCount { get; init; }

        public long? ExitCode { get; init; }

        public string? Message { get; init; }

        public string? StartedAt { get; init; }

        public string? NextRestartAt { get; init; }

        public string UpdatedAt { get; init; } = "";

        public InstanceRecord ToRecord() => new()
        {
            InstanceId = InstanceId,
            AgentName = AgentName,
            Ordinal = (int)Ordinal,
            Generation = Generation,
            State = StoredEnum<InstanceState>.TryParse(State, out var state) ? state : throw Invalid($"state '{State}' is not an instance state"),
            Endpoint = Endpoint is null ? null
                : Uri.TryCreate(Endpoint, UriKind.RelativeOrAbsolute, out var endpoint) ? endpoint : throw Invalid($"endpoint '{Endpoint}' is not a URI"),
            RestartCount = (int)RestartCount,
            ExitCode = (int?)ExitCode,
            Message = Message,
            StartedAt = OptionalTime(StartedAt, "started_at"),
            NextRestartAt = OptionalTime(NextRestartAt, "next_restart_at"),
            UpdatedAt = StoredTime.TryParse(UpdatedAt, out var updated) ? updated : throw Invalid($"updated_at '{UpdatedAt}' is not an ISO 8601 UTC time"),
        };

        private DateTimeOffset? OptionalTime(string? text, string column) =>
            text is null ? null
            : StoredTime.TryParse(text, out var time) ? time
            : throw Invalid($"{column} '{text}' is not an ISO 8601 UTC time");

        private StoredDataException Invalid(string problem) => StoredDataException.ForRow("instances", InstanceId, AgentName, problem);
    }
}
