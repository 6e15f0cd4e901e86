using System.Data.Common;
using Dapper;

namespace Berth.Storage.Sql;

/// <summary>
/// Every row of one table as last read, kept with the table's version from <c>table_versions</c> (which triggers raise on
/// every insert, update and delete, whoever writes). While the version is unchanged the same rows are returned without
/// reading or parsing them again: the reconciler lists all agents and instances every second, and on an idle server with
/// 500 agents that reading was most of its CPU. The version is read before the rows, so a write that lands in between
/// leaves the snapshot looking older than it is and the next call reads again; a snapshot can never look newer.
/// </summary>
/// <typeparam name="T">An immutable record: the same instances are handed to every caller until the table changes.</typeparam>
internal sealed class TableSnapshot<T>(string table)
{
    private const string SelectVersion = "SELECT version FROM table_versions WHERE name = @Table";

    private readonly object _parameters = new { Table = table };

    private Entry? _last;

    /// <summary>The rows, read with <paramref name="readRows"/> on <paramref name="connection"/> only when the table changed.</summary>
    public async Task<IReadOnlyList<T>> ReadAsync(
        DbConnection connection, Func<Task<IEnumerable<T>>> readRows, CancellationToken cancellationToken)
    {
        var version = await connection.ExecuteScalarAsync<long>(new CommandDefinition(SelectVersion, _parameters, cancellationToken: cancellationToken));
        if (Volatile.Read(ref _last) is { } last && last.Version == version)
        {
            return last.Rows;
        }

        IReadOnlyList<T> rows = (await readRows()).ToList().AsReadOnly();
        Volatile.Write(ref _last, new Entry(version, rows));
        return rows;
    }

    private sealed record Entry(long Version, IReadOnlyList<T> Rows);
}
