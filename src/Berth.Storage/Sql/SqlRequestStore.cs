using Berth.Core.Requests;
using Berth.Core.Storage;
using Berth.Storage.Mapping;
using Dapper;

namespace Berth.Storage.Sql;

/// <summary>
/// The <c>requests</c> table, on either engine. Saves come in batches (one transaction each) so the proxy can group its
/// commits; the engine's <see cref="IRequestWriter"/> writes them the way that engine does it cheapest. Reads and claims are
/// the same SQL on both; claims run in <see cref="StoreDatabase.ClaimAsync{T}"/>, so servers sharing a PostgreSQL database
/// claim different requests. Payloads pass the <see cref="IPayloadProtector"/> when one is registered (the server registers
/// encryption); the writer is given the same one.
/// </summary>
internal sealed class SqlRequestStore(StoreDatabase database, IRequestWriter writer, IPayloadProtector? protector = null) : IRequestStore
{
    private const string Summary =
        "seq AS Sequence, id AS Id, agent AS AgentName, state AS State, method AS Method, target AS Target, body_length AS BodyLength, " +
        "idempotency_key AS IdempotencyKey, idempotency_scope AS IdempotencyScope, fingerprint AS Fingerprint, caller AS Caller, caller_agent AS CallerAgent, attempts AS Attempts, " +
        "max_attempts AS MaxAttempts, accepted_at AS AcceptedAt, updated_at AS UpdatedAt, next_attempt_at AS NextAttemptAt, " +
        "finished_at AS FinishedAt, lease_owner AS LeaseOwner, lease_expires_at AS LeaseExpiresAt, last_failure AS LastFailure, " +
        "last_error AS LastError, response_status AS ResponseStatus, response_truncated AS ResponseTruncated, " +
        "response_length AS ResponseLength";

    private const string Full = Summary + ", request_payload AS RequestPayload, response_payload AS ResponsePayload";

    // The first term matches the partial index ix_requests_pending, so what is pending is read from it rather than from all of
    // the agent's rows (completed ones are kept for days: at a few thousand requests a second, millions of them). SQLite is
    // told to use it (Dialect.IndexedBy); PostgreSQL's planner picks it.
    private const string Due =
        """
        agent = @AgentName AND state IN ('accepted', 'retrying', 'dispatched') AND (state = 'accepted'
            OR (state = 'retrying' AND next_attempt_at <= @Now)
            OR (state = 'dispatched' AND lease_expires_at <= @Now))
        """;

    public Task SaveAsync(IReadOnlyList<ProxiedRequest> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        return requests.Count == 0 ? Task.CompletedTask : writer.SaveAsync(requests, cancellationToken);
    }

    public async Task<ProxiedRequest?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<RequestRow>(
            new CommandDefinition($"SELECT {Full} FROM requests WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken));
        return row?.ToRequest(protector);
    }

    public async Task<ProxiedRequest?> FindByKeyAsync(string agentName, string scope, string idempotencyKey, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<RequestRow>(new CommandDefinition(
            $"SELECT {Full} FROM requests WHERE agent = @AgentName AND idempotency_scope = @Scope AND idempotency_key = @Key",
            new { AgentName = agentName, Scope = scope, Key = idempotencyKey },
            cancellationToken: cancellationToken));
        return row?.ToRequest(protector);
    }

    public async Task<IReadOnlyList<ProxiedRequest>> ListAsync(RequestQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, RequestQuery.MaxLimit);
        const string Select =
            $"""
            SELECT {Summary} FROM requests
            WHERE (@AgentName IS NULL OR agent = @AgentName)
              AND (@State IS NULL OR state = @State)
              AND (@Since IS NULL OR accepted_at >= @Since)
              AND (@Party IS NULL OR agent = @Party OR caller_agent = @Party)
              AND (@BeforeSequence IS NULL OR seq < @BeforeSequence)
            ORDER BY seq DESC
            LIMIT @Limit
            """;
        var parameters = new
        {
            query.AgentName,
            State = query.State is { } state ? StoredEnum<RequestState>.ToText(state) : null,
            Since = StoredTime.Format(query.Since),
            query.Party,
            query.BeforeSequence,
            query.Limit,
        };
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<RequestRow>(new CommandDefinition(Select, parameters, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRequest(protector)).ToList();
    }

    // Claimed in StoreDatabase.ClaimAsync: two servers claiming at once never take the same request (SQLite: one writer at a
    // time; PostgreSQL: the sub-select locks what it picks and skips what another claim holds, and a request another claim
    // committed meanwhile is checked again against Due, which it no longer matches).
    private string Claim => field ??=
        $"""
        UPDATE requests
        SET state = 'dispatched', lease_owner = @Owner, lease_expires_at = @LeaseUntil, attempts = attempts + 1, updated_at = @Now, next_attempt_at = NULL
        WHERE seq IN (
            SELECT seq FROM requests {database.Dialect.IndexedBy("ix_requests_pending")}
            WHERE {Due}
            ORDER BY seq
            LIMIT @Limit
            {database.Dialect.LockSkippingLocked})
        RETURNING {Full}
        """;

    private string Pending => field ??=
        $"""
        SELECT agent AS Agent, MIN(CASE state WHEN 'accepted' THEN accepted_at WHEN 'retrying' THEN next_attempt_at ELSE lease_expires_at END) AS DueAt
        FROM requests {database.Dialect.IndexedBy("ix_requests_pending")}
        WHERE state IN ('accepted', 'retrying', 'dispatched') AND (state <> 'dispatched' OR lease_expires_at <= @Now) GROUP BY agent
        """;

    private string OpenCounts => field ??=
        $"""
        SELECT agent AS Agent, state AS State, COUNT(*) AS Count FROM requests {database.Dialect.IndexedBy("ix_requests_pending")}
        WHERE state IN ('accepted', 'retrying', 'dispatched') GROUP BY agent, state
        UNION ALL
        SELECT agent, state, COUNT(*) FROM requests {database.Dialect.IndexedBy("ix_requests_dead_lettered")} WHERE state = 'dead-lettered' GROUP BY agent, state
        """;

    public async Task<IReadOnlyList<ProxiedRequest>> ClaimDueAsync(
        string agentName, DateTimeOffset now, string owner, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var parameters = new { AgentName = agentName, Now = StoredTime.Format(now), Owner = owner, LeaseUntil = StoredTime.Format(leaseUntil), Limit = limit };
        var rows = await database.ClaimAsync(
            async (connection, transaction) => (await connection.QueryAsync<RequestRow>(new CommandDefinition(Claim, parameters, transaction, cancellationToken: cancellationToken))).ToList(),
            cancellationToken);
        return rows.Select(r => r.ToRequest(protector)).OrderBy(r => r.Sequence).ToList();
    }

    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> PendingAgentsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Agent, string DueAt)>(new CommandDefinition(Pending, new { Now = StoredTime.Format(now) }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Agent, r => RequestRow.Time(r.DueAt, $"Pending requests of agent {r.Agent}"), StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<RequestStateCount>> CountOpenAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Agent, string State, long Count)>(new CommandDefinition(OpenCounts, cancellationToken: cancellationToken));
        return rows.Select(r => new RequestStateCount(
                r.Agent,
                StoredEnum<RequestState>.TryParse(r.State, out var state) ? state : throw new StoredDataException($"Requests of agent {r.Agent} have an unknown state '{r.State}'."),
                r.Count))
            .ToList();
    }

    public async Task<int> ReleaseLeasesAsync(string owner, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE requests SET state = 'accepted', lease_owner = NULL, lease_expires_at = NULL WHERE state = 'dispatched' AND lease_owner = @Owner",
            new { Owner = owner },
            cancellationToken: cancellationToken));
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("DELETE FROM requests WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken)) > 0;
    }

    public async Task<int> PurgeAsync(string agentName, RequestState? state, DateTimeOffset? finishedBefore, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM requests WHERE agent = @AgentName AND (@State IS NULL OR state = @State) AND (@Before IS NULL OR finished_at < @Before)",
            new { AgentName = agentName, State = state is { } s ? StoredEnum<RequestState>.ToText(s) : null, Before = StoredTime.Format(finishedBefore) },
            cancellationToken: cancellationToken));
    }
}
