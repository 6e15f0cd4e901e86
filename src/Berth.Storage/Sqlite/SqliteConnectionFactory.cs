using System.Data.Common;
using Berth.Storage.Migrations;
using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>
/// Opens connections to one SQLite file with the settings every Berth connection needs. A connection per operation is
/// cheap (Microsoft.Data.Sqlite pools them) and keeps concurrent callers from sharing one connection.
/// </summary>
internal sealed class SqliteConnectionFactory : IMigrationTarget
{
    // foreign_keys is set through the connection string; these two are per connection and must be set on every open.
    // busy_timeout: wait up to 5 s for another writer instead of failing with SQLITE_BUSY.
    // synchronous=NORMAL: with WAL, durable across application crashes; a power loss may lose the last commits only.
    private const string ConnectionPragmas = "PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;";

    private readonly string _connectionString;

    public SqliteConnectionFactory(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        DatabasePath = Path.GetFullPath(databasePath);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
        }.ToString();
    }

    /// <summary>Absolute path of the database file.</summary>
    public string DatabasePath { get; }

    public string Describe() => $"sqlite:{DatabasePath}";

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragmas = connection.CreateCommand();
            pragmas.CommandText = ConnectionPragmas;
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A transaction that takes the write lock at BEGIN (<c>BEGIN IMMEDIATE</c>), so read-compare-write sequences
    /// serialize: two writers can never both read the same old row and then both write.
    /// </summary>
    public static SqliteTransaction BeginImmediate(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.BeginTransaction(deferred: false);
    }

    async Task<DbConnection> IMigrationTarget.OpenConnectionAsync(CancellationToken cancellationToken) =>
        await OpenAsync(cancellationToken);

    Task<DbTransaction> IMigrationTarget.BeginExclusiveAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(BeginImmediate((SqliteConnection)connection));
}
