using System.Data.Common;
using Dapper;

namespace Berth.Storage.Transfer;

/// <summary>
/// The tables a copy between stores carries, with their columns and primary keys, parents before the tables whose foreign
/// keys name them so rows can be inserted in that order. Read from a SQLite database its migrations built (both engines have
/// the same tables and columns); the bookkeeping tables (<c>schema_migrations</c>, <c>table_versions</c>, which triggers keep)
/// are left out. Every name in it comes from Berth's own migrations, never from a file being read.
/// </summary>
internal sealed record StoreSchema(IReadOnlyList<StoreTable> Tables)
{
    private static readonly HashSet<string> Bookkeeping = new(StringComparer.Ordinal) { "schema_migrations", "table_versions" };

    public static async Task<StoreSchema> ReadAsync(DbConnection sqlite, CancellationToken cancellationToken)
    {
        var tables = new Dictionary<string, (StoreTable Table, List<string> Parents)>(StringComparer.Ordinal);
        foreach (var name in (await TableNamesAsync(sqlite, cancellationToken)).Where(n => !Bookkeeping.Contains(n)))
        {
            var columns = (await sqlite.QueryAsync<ColumnRow>(new CommandDefinition($"SELECT name AS Name, pk AS Pk FROM pragma_table_info('{name}')", cancellationToken: cancellationToken))).ToList();
            var parents = (await sqlite.QueryAsync<string>(new CommandDefinition($"SELECT DISTINCT \"table\" FROM pragma_foreign_key_list('{name}')", cancellationToken: cancellationToken)))
                .Where(p => p != name).ToList();
            var key = columns.Where(c => c.Pk > 0).OrderBy(c => c.Pk).Select(c => c.Name).ToList();
            tables[name] = (new StoreTable(name, [.. columns.Select(c => c.Name)], key.Count > 0 ? key : [.. columns.Select(c => c.Name)]), parents);
        }

        var ordered = new List<StoreTable>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        while (ordered.Count < tables.Count)
        {
            var ready = tables.Values.Where(t => !placed.Contains(t.Table.Name) && t.Parents.All(p => placed.Contains(p) || !tables.ContainsKey(p))).ToList();
            if (ready.Count == 0)
            {
                throw new InvalidOperationException("the store's foreign keys form a cycle; a copy cannot order its tables");
            }

            foreach (var (table, _) in ready)
            {
                ordered.Add(table);
                placed.Add(table.Name);
            }
        }

        return new StoreSchema(ordered);
    }

    /// <summary>
    /// This schema as far as the SQLite database <paramref name="sqlite"/> (a backup, perhaps of an older version) has it: its
    /// tables and columns that this version knows. One it holds that this version does not know means a newer Berth wrote it,
    /// and is refused, naming it.
    /// </summary>
    public async Task<StoreSchema> WithinAsync(DbConnection sqlite, string describe, CancellationToken cancellationToken)
    {
        var present = (await TableNamesAsync(sqlite, cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var unknown = present.Where(n => !Bookkeeping.Contains(n) && Tables.All(t => t.Name != n)).Order(StringComparer.Ordinal).ToList();
        var tables = new List<StoreTable>();
        foreach (var table in Tables.Where(t => present.Contains(t.Name)))
        {
            // The name is this version's own, so it may go into the statement.
            var columns = (await sqlite.QueryAsync<string>(new CommandDefinition($"SELECT name FROM pragma_table_info('{table.Name}')", cancellationToken: cancellationToken)))
                .ToHashSet(StringComparer.Ordinal);
            unknown.AddRange(columns.Where(c => !table.Columns.Contains(c)).Order(StringComparer.Ordinal).Select(c => $"{table.Name}.{c}"));
            tables.Add(table with { Columns = [.. table.Columns.Where(columns.Contains)] });
        }

        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"{describe} holds {string.Join(", ", unknown)}, which this version of Berth does not know: a newer Berth wrote it; use that version or a later one");
        }

        return new StoreSchema(tables);
    }

    private static async Task<IEnumerable<string>> TableNamesAsync(DbConnection sqlite, CancellationToken cancellationToken) =>
        await sqlite.QueryAsync<string>(new CommandDefinition(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name", cancellationToken: cancellationToken));

    private sealed class ColumnRow
    {
        public string Name { get; init; } = "";

        public long Pk { get; init; }
    }
}

/// <summary>One table of a <see cref="StoreSchema"/>: its columns, and those that order its rows (the primary key).</summary>
internal sealed record StoreTable(string Name, IReadOnlyList<string> Columns, IReadOnlyList<string> Key)
{
    public string Select => $"SELECT {string.Join(", ", Columns)} FROM {Name} ORDER BY {string.Join(", ", Key)}";

    public string Insert => $"INSERT INTO {Name} ({string.Join(", ", Columns)}) VALUES ({string.Join(", ", Columns.Select((_, i) => $"@p{i}"))})";
}
