using Berth.Core.Storage;
using Berth.Storage.Mapping;
using Dapper;

namespace Berth.Storage.Sql;

/// <summary>Leases in the <c>leases</c> table: one upsert takes or renews, so two servers racing for a free lease cannot both win.</summary>
internal sealed class SqlLeaseStore(StoreDatabase database) : ILeaseStore
{
    private const string Columns = "name AS Name, owner AS Owner, acquired_at AS AcquiredAt, expires_at AS ExpiresAt";

    // The WHERE of the update decides: the holder renews (keeping its first take), anyone takes an expired lease, and otherwise
    // the row is left as it is and RETURNING gives nothing.
    private const string Hold =
        $"""
        INSERT INTO leases (name, owner, acquired_at, expires_at) VALUES (@Name, @Owner, @Now, @Until)
        ON CONFLICT (name) DO UPDATE SET
            owner = excluded.owner,
            acquired_at = CASE WHEN leases.owner = excluded.owner AND leases.expires_at > @Now THEN leases.acquired_at ELSE excluded.acquired_at END,
            expires_at = excluded.expires_at
        WHERE leases.owner = excluded.owner OR leases.expires_at <= @Now
        RETURNING {Columns}
        """;

    private const string Select = $"SELECT {Columns} FROM leases WHERE name = @Name";

    public async Task<LeaseHolder> TryHoldAsync(string name, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        if (until <= now)
        {
            throw new ArgumentOutOfRangeException(nameof(until), until, "a lease must end after it is taken");
        }

        var parameters = new { Name = name, Owner = owner, Now = StoredTime.Format(now), Until = StoredTime.Format(until) };
        var row = await database.WriteAsync(
            async (connection, transaction) =>
                await connection.QuerySingleOrDefaultAsync<LeaseRow>(new CommandDefinition(Hold, parameters, transaction, cancellationToken: cancellationToken))
                ?? await connection.QuerySingleAsync<LeaseRow>(new CommandDefinition(Select, parameters, transaction, cancellationToken: cancellationToken)),
            cancellationToken);
        return row.ToHolder();
    }

    public async Task<bool> ReleaseAsync(string name, string owner, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM leases WHERE name = @Name AND owner = @Owner", new { Name = name, Owner = owner }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task<LeaseHolder?> GetAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<LeaseRow>(new CommandDefinition(Select, new { Name = name }, cancellationToken: cancellationToken));
        return row?.ToHolder();
    }

    private sealed class LeaseRow
    {
        public string Name { get; init; } = "";

        public string Owner { get; init; } = "";

        public string AcquiredAt { get; init; } = "";

        public string ExpiresAt { get; init; } = "";

        public LeaseHolder ToHolder() => new(Name, Owner, Time(AcquiredAt, "acquired_at"), Time(ExpiresAt, "expires_at"));

        private DateTimeOffset Time(string text, string column) =>
            StoredTime.TryParse(text, out var time)
                ? time
                : throw new StoredDataException($"Lease '{Name}' has {column} '{text}', which is not an ISO 8601 UTC time; delete the row, it is taken again at once.");
    }
}
