using Berth.Core.Requests;
using Berth.Core.Storage;
using Berth.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>
/// The two statements of <see cref="RequestSave"/>, prepared once for the SQLite writer's connection and bound per row (their
/// parameters are created once; each row sets their values).
/// </summary>
internal sealed class RequestSaveStatement : IDisposable
{
    private static readonly string Upsert = RequestSave.Upsert(Parameter);

    private static readonly string Update = RequestSave.Update(Parameter);

    private readonly SqliteCommand _upsert;
    private readonly SqliteCommand _update;
    private readonly IPayloadProtector? _protector;

    public RequestSaveStatement(SqliteConnection connection, IPayloadProtector? protector)
    {
        _upsert = Create(connection, Upsert, RequestSave.All.Count);
        _update = Create(connection, Update, RequestSave.Changing.Count);
        _protector = protector;
    }

    /// <summary>Runs the statements in <paramref name="transaction"/> from now on.</summary>
    public void Use(SqliteTransaction? transaction)
    {
        _upsert.Transaction = transaction;
        _update.Transaction = transaction;
    }

    public void Dispose()
    {
        _upsert.Dispose();
        _update.Dispose();
    }

    /// <summary>Writes <paramref name="request"/>; the number of rows written (0: an update of a request not stored).</summary>
    public Task<int> ExecuteAsync(ProxiedRequest request, CancellationToken cancellationToken)
    {
        var command = request.Message is null ? _update : _upsert;
        var values = RequestSave.Values(request, _protector);
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        return command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Parameter(int index) => "$" + RequestSave.All[index].Name;

    private static SqliteCommand Create(SqliteConnection connection, string text, int count)
    {
        var command = connection.CreateCommand();
        command.CommandText = text;
        foreach (var (name, _) in RequestSave.All.Take(count))
        {
            command.Parameters.Add(new SqliteParameter("$" + name, DBNull.Value));
        }

        return command;
    }
}
