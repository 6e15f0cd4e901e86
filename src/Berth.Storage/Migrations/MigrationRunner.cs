using System.Data.Common;
using Berth.Storage.Mapping;
using Dapper;
using Microsoft.Extensions.Logging;

namespace Berth.Storage.Migrations;

/// <summary>
/// Applies pending migrations, each in its own exclusive transaction, and records them in <c>schema_migrations</c>.
/// The SQL here is portable (SQLite and PostgreSQL); engine specifics live behind <see cref="IMigrationTarget"/>.
/// </summary>
internal sealed partial class MigrationRunner(IMigrationTarget target, IReadOnlyList<Migration> migrations, TimeProvider timeProvider, ILogger logger)
{
    private const string CreateHistory =
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";

    private const string SelectVersions = "SELECT version FROM schema_migrations";

    private const string InsertHistory = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)";

    /// <summary>Applies what is pending and returns how many migrations it applied (0 when the schema is current).</summary>
    /// <exception cref="InvalidOperationException">The database was migrated by a newer Berth.</exception>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var known = migrations.Count == 0 ? 0 : migrations[^1].Version;
        var applied = 0;
        var database = target.Describe();
        await using var connection = await target.OpenConnectionAsync(cancellationToken);
        while (true)
        {
            // Re-read the history inside each exclusive transaction: another process may have migrated meanwhile.
            await using var transaction = await target.BeginExclusiveAsync(connection, cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(CreateHistory, transaction: transaction, cancellationToken: cancellationToken));
            var versions = (await connection.QueryAsync<long>(
                new CommandDefinition(SelectVersions, transaction: transaction, cancellationToken: cancellationToken))).ToHashSet();
            var newest = versions.Count == 0 ? 0 : versions.Max();
            if (newest > known)
            {
                throw new InvalidOperationException(
                    $"The database {database} has schema version {newest}, newer than this Berth knows ({known}). " +
                    "It was used by a newer Berth: upgrade berth, or point it at another database.");
            }

            var next = migrations.FirstOrDefault(m => !versions.Contains(m.Version));
            if (next is null)
            {
                await transaction.CommitAsync(cancellationToken);
                return applied;
            }

            await ApplyAsync(connection, transaction, next, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            applied++;
            LogApplied(logger, next.Version, next.Name, database);
        }
    }

    private async Task ApplyAsync(DbConnection connection, DbTransaction transaction, Migration migration, CancellationToken cancellationToken)
    {
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: cancellationToken));
        }
        catch (DbException ex)
        {
            throw new InvalidOperationException(
                $"Migration {migration.Version:D4}_{migration.Name} failed on {target.Describe()} and was rolled back: {ex.Message}", ex);
        }

        var record = new { migration.Version, migration.Name, AppliedAt = StoredTime.Format(timeProvider.GetUtcNow()) };
        await connection.ExecuteAsync(new CommandDefinition(InsertHistory, record, transaction, cancellationToken: cancellationToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied schema migration {Version} {MigrationName} to {Database}")]
    private static partial void LogApplied(ILogger logger, int version, string migrationName, string database);
}
