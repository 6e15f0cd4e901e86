namespace Berth.Storage.Sql;

/// <summary>
/// The few pieces of SQL whose syntax differs between SQLite and PostgreSQL; everything else the stores send is the same
/// text on both (<c>ON CONFLICT</c>, <c>RETURNING</c>, <c>LIMIT</c>, partial indexes).
/// </summary>
internal sealed record SqlDialect
{
    public static readonly SqlDialect Sqlite = new() { Name = "sqlite", LockSkippingLocked = "" };

    public static readonly SqlDialect Postgres = new() { Name = "postgres", LockSkippingLocked = "FOR UPDATE SKIP LOCKED" };

    /// <summary>The engine's name, as in <c>migrations/{name}/</c>.</summary>
    public required string Name { get; init; }

    /// <summary>
    /// Ends a sub-select that claims queue rows: PostgreSQL locks the rows it picks and skips those another server's claim
    /// holds (<c>FOR UPDATE SKIP LOCKED</c>), so claims do not wait on each other; SQLite has one writer at a time and needs
    /// nothing.
    /// </summary>
    public required string LockSkippingLocked { get; init; }
}
