namespace Berth.Testing.Postgres;

/// <summary>
/// Which store the test servers use: the SQLite file in their data directory, or, with <c>BERTH_TEST_STORE=postgres</c>, a
/// scratch PostgreSQL database each (<see cref="ScratchPostgres"/>), so a suite written against the server runs on both.
/// </summary>
public static class TestStore
{
    /// <summary>The variable that picks the store.</summary>
    public const string Variable = "BERTH_TEST_STORE";

    /// <summary>Whether test servers run on PostgreSQL.</summary>
    public static bool IsPostgres => string.Equals(Environment.GetEnvironmentVariable(Variable), "postgres", StringComparison.Ordinal);

    /// <summary>
    /// A fresh PostgreSQL database's URL for one test server; null when test servers use SQLite. Its pool is kept small: many
    /// test servers run at once on one scratch cluster, and each would otherwise keep up to a hundred connections.
    /// </summary>
    public static async Task<string?> CreateAsync(CancellationToken cancellationToken) =>
        IsPostgres ? await ScratchPostgres.CreateDatabaseAsync(cancellationToken) + "?pool_max=20" : null;

    /// <summary>The server arguments that select <paramref name="url"/> (none for SQLite).</summary>
    public static string[] Arguments(string? url) => url is null ? [] : ["--store", url];

    /// <summary>Drops the database <see cref="CreateAsync"/> made; nothing for SQLite.</summary>
    public static Task DropAsync(string? url, CancellationToken cancellationToken) =>
        url is null ? Task.CompletedTask : ScratchPostgres.DropDatabaseAsync(url, cancellationToken);
}
