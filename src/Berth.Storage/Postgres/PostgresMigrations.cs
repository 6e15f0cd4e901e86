using Berth.Storage.Migrations;

namespace Berth.Storage.Postgres;

/// <summary>The PostgreSQL dialect's migrations, embedded from <c>Migrations/Postgres/*.sql</c>.</summary>
internal static class PostgresMigrations
{
    private static readonly Lazy<IReadOnlyList<Migration>> Loaded =
        new(() => MigrationCatalog.Load(typeof(PostgresMigrations).Assembly, "migrations/postgres/"));

    public static IReadOnlyList<Migration> All => Loaded.Value;
}
