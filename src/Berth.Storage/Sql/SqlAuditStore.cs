using System.Globalization;
using Berth.Core.Security;
using Berth.Core.Storage;
using Berth.Storage.Mapping;
using Dapper;

namespace Berth.Storage.Sql;

/// <summary>
/// The append-only <c>audit</c> table. Ids come from AUTOINCREMENT (SQLite) or an identity (PostgreSQL) and only grow; a trigger
/// on either engine refuses UPDATE, and DELETE of a record younger than a day by the database's own clock.
/// </summary>
internal sealed class SqlAuditStore(StoreDatabase database) : IAuditStore
{
    private const string Columns =
        "id AS Id, time AS Time, principal AS Principal, token_id AS TokenId, role AS Role, action AS Action, verb AS Verb, " +
        "target AS Target, status AS Status, outcome AS Outcome, source AS Source, count AS Count";

    private const string Insert =
        """
        INSERT INTO audit (time, principal, token_id, role, action, verb, target, status, outcome, source, count)
        VALUES (@Time, @Principal, @TokenId, @Role, @Action, @Verb, @Target, @Status, @Outcome, @Source, @Count)
        """;

    private const string Select =
        $"""
        SELECT {Columns} FROM audit
        WHERE (@Since IS NULL OR time >= @Since)
          AND (@Principal IS NULL OR principal = @Principal)
          AND (@BeforeId IS NULL OR id < @BeforeId)
        ORDER BY id DESC
        LIMIT @Limit
        """;

    public async Task AppendAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }

        var rows = records.Select(r => new
        {
            Time = StoredTime.Format(r.Time),
            r.Principal,
            r.TokenId,
            r.Role,
            r.Action,
            r.Verb,
            r.Target,
            r.Status,
            r.Outcome,
            r.Source,
            r.Count,
        }).ToList();
        await database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(new CommandDefinition(Insert, rows, transaction, cancellationToken: cancellationToken)),
            cancellationToken);
    }

    public async Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        // The table's trigger refuses records younger than a day: a cutoff that reaches them fails the whole purge.
        var cutoff = StoredTime.Format(before);
        return await database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(new CommandDefinition("DELETE FROM audit WHERE time < @Cutoff", new { Cutoff = cutoff }, transaction, cancellationToken: cancellationToken)),
            cancellationToken);
    }

    public async Task<IReadOnlyList<AuditRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, AuditQuery.MaxLimit);
        var parameters = new
        {
            Since = StoredTime.Format(query.Since),
            query.Principal,
            query.BeforeId,
            query.Limit,
        };
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AuditRow>(new CommandDefinition(Select, parameters, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    private sealed class AuditRow
    {
        public long Id { get; init; }

        public string Time { get; init; } = "";

        public string Principal { get; init; } = "";

        public string? TokenId { get; init; }

        public string? Role { get; init; }

        public string Action { get; init; } = "";

        public string? Verb { get; init; }

        public string? Target { get; init; }

        public long Status { get; init; }

        public string Outcome { get; init; } = "";

        public string? Source { get; init; }

        public long Count { get; init; }

        public AuditRecord ToRecord() => new()
        {
            Id = Id,
            Time = StoredTime.TryParse(Time, out var time)
                ? time
                : throw new StoredDataException(
                    $"Audit record {Id.ToString(CultureInfo.InvariantCulture)} cannot be read: time '{Time}' is not an ISO 8601 UTC time. The database was probably edited by hand."),
            Principal = Principal,
            TokenId = TokenId,
            Role = Role,
            Action = Action,
            Verb = Verb,
            Target = Target,
            Status = (int)Status,
            Outcome = Outcome,
            Source = Source,
            Count = (int)Count,
        };
    }
}
