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

    private bool IsSqlite => Name == "sqlite";

    /// <summary>
    /// Ends a SELECT inside a transaction that will change the rows of <paramref name="alias"/> it returns: PostgreSQL locks
    /// them (skipping rows another transaction holds when <paramref name="skipLocked"/>), re-checking the newest version of each
    /// against the WHERE; SQLite's write lock is held from the start and needs nothing.
    /// </summary>
    public string LockRowsOf(string alias, bool skipLocked) =>
        IsSqlite ? "" : $"FOR UPDATE OF {alias}{(skipLocked ? " SKIP LOCKED" : "")}";

    /// <summary>
    /// Tests a column against the list Dapper binds to <paramref name="parameter"/> (an array): Dapper expands <c>IN @Ids</c>
    /// into one parameter per item on SQLite, but hands Npgsql the array as one parameter, which PostgreSQL reads with <c>= ANY</c>.
    /// </summary>
    public string InList(string parameter) => IsSqlite ? $"IN {parameter}" : $"= ANY({parameter})";

    /// <summary>
    /// Follows a table in FROM to name the index SQLite must use (<c>INDEXED BY</c>), where its planner, without statistics,
    /// would pick a worse one; PostgreSQL's planner has statistics and needs nothing.
    /// </summary>
    public string IndexedBy(string index) => IsSqlite ? $"INDEXED BY {index}" : "";

    /// <summary>
    /// A table of the members of a JSON object passed as text in <paramref name="parameter"/>, with columns <c>key</c> and
    /// <c>value</c> (text): SQLite's <c>json_each</c>, PostgreSQL's <c>json_each_text</c>.
    /// </summary>
    public string JsonObjectRows(string parameter) =>
        IsSqlite ? $"json_each({parameter})" : $"json_each_text(CAST({parameter} AS json))";
}
