using Berth.Storage.Migrations;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Berth.Storage.Sqlite;

/// <summary>Creates the database file and its directory, switches it to WAL and applies pending migrations.</summary>
internal sealed partial class SqliteStoreInitializer(
    SqliteConnectionFactory connections,
    TimeProvider timeProvider,
    ILogger<SqliteStoreInitializer> logger) : IStoreInitializer
{
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        CreateDirectory();
        var database = Describe();
        int applied;
        try
        {
            await using (var connection = await connections.OpenAsync(cancellationToken))
            {
                // journal_mode is stored in the file: setting it once makes every later connection use WAL.
                var mode = await connection.ExecuteScalarAsync<string>(new CommandDefinition("PRAGMA journal_mode = WAL", cancellationToken: cancellationToken));
                if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                {
                    LogNoWal(logger, database, mode ?? "unknown");
                }
            }

            applied = await new MigrationRunner(connections, SqliteMigrations.All, timeProvider, logger).RunAsync(cancellationToken);
        }
        catch (SqliteException ex)
        {
            throw new InvalidOperationException(
                $"Cannot open the Berth database {database}: {ex.Message}. Check that the file is a SQLite database and that its directory is writable.", ex);
        }

        LogReady(logger, database, SqliteMigrations.All.Count, applied);
    }

    public string Describe() => connections.Describe();

    private void CreateDirectory()
    {
        var directory = Path.GetDirectoryName(connections.DatabasePath);
        if (string.IsNullOrEmpty(directory))
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"Cannot create the directory '{directory}' for the Berth database: {ex.Message}. Choose a writable data directory.", ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database {Database} could not switch to WAL (journal mode {JournalMode}); concurrent access will be slower")]
    private static partial void LogNoWal(ILogger logger, string database, string journalMode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Store {Database} ready at schema version {SchemaVersion} ({Applied} migrations applied now)")]
    private static partial void LogReady(ILogger logger, string database, int schemaVersion, int applied);
}
