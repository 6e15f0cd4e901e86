using Berth.Storage.Migrations;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Berth.Storage.Postgres;

/// <summary>
/// Applies pending migrations to the PostgreSQL database; several servers starting at once take turns (an advisory lock),
/// so each migration runs once. The database itself must exist: Berth does not create databases or roles.
/// </summary>
internal sealed partial class PostgresStoreInitializer(
    PostgresDatabase database,
    TimeProvider timeProvider,
    ILogger<PostgresStoreInitializer> logger) : IStoreInitializer
{
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var described = Describe();
        int applied;
        try
        {
            applied = await new MigrationRunner(database, PostgresMigrations.All, timeProvider, logger).RunAsync(cancellationToken);
        }
        catch (NpgsqlException ex)
        {
            // Npgsql's messages name the host and the failure, never the password.
            throw new InvalidOperationException(
                $"Cannot use the PostgreSQL store {described}: {ex.Message}. Check that the server answers, that the user and " +
                "password are right, that the database exists and that the user may create tables in it (the URL is given by " +
                "--store or BERTH_STORE).", ex);
        }

        LogReady(logger, described, PostgresMigrations.All.Count, applied);
    }

    public string Describe() => database.Describe();

    [LoggerMessage(Level = LogLevel.Information, Message = "Store {Database} ready at schema version {SchemaVersion} ({Applied} migrations applied now)")]
    private static partial void LogReady(ILogger logger, string database, int schemaVersion, int applied);
}
