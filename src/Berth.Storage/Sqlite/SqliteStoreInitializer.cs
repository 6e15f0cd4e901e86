using Berth.Core.Security;
using Berth.Storage.Migrations;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Berth.Storage.Sqlite;

/// <summary>
/// Creates the database file and its directory (owner-only), switches it to WAL and applies pending migrations.
/// SQLite creates its <c>-wal</c> and <c>-shm</c> files with the mode of the database file, so a database created
/// 0600 here keeps all three private.
/// </summary>
internal sealed partial class SqliteStoreInitializer(
    SqliteDatabase connections,
    TimeProvider timeProvider,
    ILogger<SqliteStoreInitializer> logger) : IStoreInitializer
{
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        CreateFiles();
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

    private void CreateFiles()
    {
        var directory = Path.GetDirectoryName(connections.DatabasePath);
        if (string.IsNullOrEmpty(directory))
        {
            return;
        }

        try
        {
            OwnerOnly.CreateDirectory(directory);
            if (!File.Exists(connections.DatabasePath))
            {
                // An empty file is a valid empty database; SQLite would create it 0644.
                new FileStream(connections.DatabasePath, OwnerOnly.Write(FileMode.CreateNew)).Dispose();
            }
        }
        catch (IOException) when (File.Exists(connections.DatabasePath))
        {
            // Another server created it between the check and ours.
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
