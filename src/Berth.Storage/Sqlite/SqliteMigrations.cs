using Berth.Storage.Migrations;

namespace Berth.Storage.Sqlite;

/// <summary>The SQLite dialect's migrations, embedded from <c>Migrations/Sqlite/*.sql</c>.</summary>
internal static class SqliteMigrations
{
    private static readonly Lazy<IReadOnlyList<Migration>> Loaded =
        new(() => MigrationCatalog.Load(typeof(SqliteMigrations).Assembly, "migrations/sqlite/"));

    public static IReadOnlyList<Migration> All => Loaded.Value;
}
