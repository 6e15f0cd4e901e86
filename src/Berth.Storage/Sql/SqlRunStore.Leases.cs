using Berth.Core.Workflows.Runs;
using Berth.Storage.Mapping;
using Dapper;

namespace Berth.Storage.Sql;

/// <summary>Which server drives which run: claims and renewals of the lease columns of <c>runs</c>.</summary>
internal sealed partial class SqlRunStore
{
    // Claimed in StoreDatabase.ClaimAsync: two servers claiming at once never take the same run (SQLite: one writer at a time;
    // PostgreSQL: the sub-select locks what it picks and skips what another claim holds).
    private string Claim => field ??=
        $"""
        UPDATE runs SET lease_owner = @Owner, lease_expires_at = @LeaseUntil
        WHERE id IN (
            SELECT id FROM runs
            WHERE state IN ('queued', 'running')
              AND (lease_owner IS NULL OR lease_expires_at IS NULL OR lease_expires_at <= @Now)
            ORDER BY created_at, id
            LIMIT @Limit
            {database.Dialect.LockSkippingLocked})
        RETURNING {RunRow.Columns}
        """;

    public async Task<IReadOnlyList<WorkflowRun>> ClaimAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var parameters = new { Owner = owner, Now = StoredTime.Format(now), LeaseUntil = StoredTime.Format(leaseUntil), Limit = limit };
        var rows = await database.ClaimAsync(
            async (connection, transaction) => (await connection.QueryAsync<RunRow>(new CommandDefinition(Claim, parameters, transaction, cancellationToken: cancellationToken))).ToList(),
            cancellationToken);
        return rows.Select(r => r.ToRun()).OrderBy(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
    }

    public async Task<IReadOnlyList<string>> RenewAsync(string owner, IReadOnlyList<string> runIds, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentNullException.ThrowIfNull(runIds);
        if (runIds.Count == 0)
        {
            return [];
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var renewed = await connection.QueryAsync<string>(new CommandDefinition(
            $"UPDATE runs SET lease_expires_at = @LeaseUntil WHERE lease_owner = @Owner AND {database.Dialect.InList("id", "@Ids")} RETURNING id",
            new { Owner = owner, Ids = runIds.ToArray(), LeaseUntil = StoredTime.Format(leaseUntil) },
            cancellationToken: cancellationToken));
        return renewed.ToList();
    }

    public async Task ReleaseAsync(string owner, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE runs SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner = @Owner",
            new { Owner = owner },
            cancellationToken: cancellationToken));
    }
}
