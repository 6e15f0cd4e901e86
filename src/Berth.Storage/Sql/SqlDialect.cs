namespace Berth.Storage.Sql;

/// <summary>
/// The few pieces of SQL whose syntax differs between SQLite and PostgreSQL; everything else the stores send is the same
/// text on both (<c>ON CONFLICT</c>, <c>RETURNING</c>, <c>LIMIT</c>, partial indexes).
/// </summary>
internal sealed record SqlDialect
{
    public static readonly SqlDialect Sqlite = new() { Name = "sqlite", LockSkippingLocked = "", LockRows = "", ListsAsArrays = false, NamesIndexes = true };

    public static readonly SqlDialect Postgres = new()
    {
        Name = "postgres", LockSkippingLocked = "FOR UPDATE SKIP LOCKED", LockRows = "FOR NO KEY UPDATE", ListsAsArrays = true, NamesIndexes = false,
    };

    /// <summary>The engine's name, as in <c>migrations/{name}/</c>.</summary>
    public required string Name { get; init; }

    /// <summary>
    /// Ends a sub-select that claims queue rows: PostgreSQL locks the rows it picks and skips those another server's claim
    /// holds (<c>FOR UPDATE SKIP LOCKED</c>), so claims do not wait on each other; SQLite has one writer at a time and needs
    /// nothing.
    /// </summary>
    public required string LockSkippingLocked { get; init; }

    /// <summary>
    /// Ends a select that locks the rows it reads until the transaction ends, so writers of the same rows in
    /// <see cref="StoreDatabase.LockingWriteAsync{T}"/> take turns: PostgreSQL's <c>FOR NO KEY UPDATE</c> (which still lets
    /// other transactions insert rows referring to them); empty on SQLite, where the transaction holds the one write lock.
    /// </summary>
    public required string LockRows { get; init; }

    /// <summary>
    /// Whether Dapper sends a list parameter as one array (Npgsql) rather than spelling it out as <c>(@Ids1, @Ids2, …)</c>
    /// (SQLite); see <see cref="InList"/>.
    /// </summary>
    public required bool ListsAsArrays { get; init; }

    /// <summary>
    /// Matches <paramref name="column"/> against the list parameter <paramref name="parameter"/> (<c>@Ids</c>, given as an
    /// array): <c>IN @Ids</c>, which Dapper spells out, on SQLite; <c>= ANY(@Ids)</c> on PostgreSQL, where the list arrives as
    /// one array parameter and <c>IN</c> would be a syntax error.
    /// </summary>
    public string InList(string column, string parameter) => ListsAsArrays ? $"{column} = ANY({parameter})" : $"{column} IN {parameter}";

    /// <summary>Whether a query may name the index to read (<see cref="IndexedBy"/>); only SQLite has the syntax.</summary>
    public required bool NamesIndexes { get; init; }

    /// <summary>
    /// Follows a table name in <c>FROM</c> to read it through <paramref name="index"/>: SQLite's planner does not always pick a
    /// partial index over a wider one (<c>INDEXED BY</c>); PostgreSQL's does from its statistics and has no such syntax.
    /// </summary>
    public string IndexedBy(string index) => NamesIndexes ? $"INDEXED BY {index}" : "";

    private bool IsSqlite => Name == "sqlite";

    /// <summary>
    /// Ends a SELECT inside a transaction that will change the rows of <paramref name="alias"/> it returns: PostgreSQL locks
    /// them (skipping rows another transaction holds when <paramref name="skipLocked"/>), re-checking the newest version of each
    /// against the WHERE; SQLite's write lock is held from the start and needs nothing.
    /// </summary>
    public string LockRowsOf(string alias, bool skipLocked) =>
        IsSqlite ? "" : $"FOR UPDATE OF {alias}{(skipLocked ? " SKIP LOCKED" : "")}";

    /// <summary>
    /// A table of the members of a JSON object passed as text in <paramref name="parameter"/>, with columns <c>key</c> and
    /// <c>value</c> (text): SQLite's <c>json_each</c>, PostgreSQL's <c>json_each_text</c>.
    /// </summary>
    public string JsonObjectRows(string parameter) =>
        IsSqlite ? $"json_each({parameter})" : $"json_each_text(CAST({parameter} AS json))";
}
