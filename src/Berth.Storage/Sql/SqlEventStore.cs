using Berth.Core.Agents;
using Berth.Core.Storage;
using Berth.Storage.Mapping;
using Dapper;

namespace Berth.Storage.Sql;

/// <summary>The append-only <c>events</c> table; ids come from AUTOINCREMENT (SQLite) or an identity (PostgreSQL) and only grow.</summary>
internal sealed class SqlEventStore(StoreDatabase database) : IEventStore
{
    private const string Columns =
        "id AS Id, time AS Time, agent_name AS AgentName, instance_id AS InstanceId, reason AS Reason, message AS Message, warning AS Warning";

    private const string SelectAll = $"SELECT {Columns} FROM events WHERE id > @AfterId ORDER BY id LIMIT @Limit";

    private const string SelectOfAgent = $"SELECT {Columns} FROM events WHERE agent_name = @AgentName AND id > @AfterId ORDER BY id LIMIT @Limit";

    // Events die with their agent (foreign key), yet the reconciler may report on an agent just as it is deleted. Such an
    // event is dropped (nothing is inserted, so no id is returned) instead of failing. On SQLite the statement holds the write
    // lock from its start, so the existence check cannot go stale; on PostgreSQL it reads a snapshot, and another server's
    // delete committing after it is caught as the foreign key's refusal.
    private const string Insert =
        """
        INSERT INTO events (agent_name, instance_id, time, reason, message, warning)
        SELECT @AgentName, @InstanceId, @Time, @Reason, @Message, @Warning
        WHERE EXISTS (SELECT 1 FROM agents WHERE name = @AgentName)
        RETURNING id
        """;

    /// <summary>Stores the event and returns it with its id; for an unknown agent it stores nothing and returns the event with id 0.</summary>
    public async Task<AgentEvent> AppendAsync(AgentEvent agentEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agentEvent);
        var parameters = new
        {
            agentEvent.AgentName,
            agentEvent.InstanceId,
            Time = StoredTime.Format(agentEvent.Time),
            agentEvent.Reason,
            agentEvent.Message,
            Warning = agentEvent.Warning ? 1 : 0,
        };
        await using var connection = await database.OpenAsync(cancellationToken);
        try
        {
            var id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(Insert, parameters, cancellationToken: cancellationToken));
            return agentEvent with { Id = id ?? 0 };
        }
        catch (Exception ex) when (database.IsForeignKeyViolation(ex))
        {
            // The agent was deleted after the existence check read it; the statement ran in a transaction of its own.
            return agentEvent with { Id = 0 };
        }
    }

    public async Task<IReadOnlyList<AgentEvent>> ListAsync(string? agentName, long afterId, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var command = agentName is null
            ? new CommandDefinition(SelectAll, new { AfterId = afterId, Limit = limit }, cancellationToken: cancellationToken)
            : new CommandDefinition(SelectOfAgent, new { AgentName = agentName, AfterId = afterId, Limit = limit }, cancellationToken: cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<EventRow>(command);
        return rows.Select(r => r.ToEvent()).ToList();
    }

    private sealed class EventRow
    {
        public long Id { get; init; }

        public string Time { get; init; } = "";

        public string AgentName { get; init; } = "";

        public string? InstanceId { get; init; }

        public string Reason { get; init; } = "";

        public string Message { get; init; } = "";

        public long Warning { get; init; }

        public AgentEvent ToEvent() => new()
        {
            Id = Id,
            Time = StoredTime.TryParse(Time, out var time)
                ? time
                : throw StoredDataException.ForRow("events", Id.ToString(System.Globalization.CultureInfo.InvariantCulture), AgentName, $"time '{Time}' is not an ISO 8601 UTC time"),
            AgentName = AgentName,
            InstanceId = InstanceId,
            Reason = Reason,
            Message = Message,
            Warning = Warning != 0,
        };
    }
}
