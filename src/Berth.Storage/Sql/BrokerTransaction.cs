using System.Data.Common;
using Dapper;

namespace Berth.Storage.Sql;

/// <summary>
/// What one piece of broker work sees of the transaction it runs in (a batch of work on SQLite): the open transaction, and the time the work started
/// (every time it writes is derived from it, so one receive leases all its messages until the same instant).
/// </summary>
internal sealed class BrokerTransaction(DbConnection connection, DbTransaction transaction, DateTimeOffset now)
{
    public DateTimeOffset Now { get; } = now;

    public Task<int> ExecuteAsync(string sql, object? parameters) =>
        connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction));

    public Task<T?> ScalarAsync<T>(string sql, object? parameters) =>
        connection.ExecuteScalarAsync<T>(new CommandDefinition(sql, parameters, transaction));

    public Task<T?> SingleOrDefaultAsync<T>(string sql, object? parameters) =>
        connection.QuerySingleOrDefaultAsync<T>(new CommandDefinition(sql, parameters, transaction));

    public Task<IEnumerable<T>> QueryAsync<T>(string sql, object? parameters) =>
        connection.QueryAsync<T>(new CommandDefinition(sql, parameters, transaction));

    public Task<IEnumerable<TResult>> QueryAsync<TFirst, TSecond, TResult>(string sql, Func<TFirst, TSecond, TResult> map, object? parameters, string splitOn) =>
        connection.QueryAsync(new CommandDefinition(sql, parameters, transaction), map, splitOn);
}
