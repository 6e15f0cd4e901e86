using Berth.Core.Requests;
using Berth.Core.Storage;
using Berth.Storage.Sql;
using Npgsql;

namespace Berth.Storage.Postgres;

/// <summary>
/// Writes batches of request records to PostgreSQL: every row's statement goes in one <see cref="NpgsqlBatch"/>, sent in
/// one round trip with the transaction's BEGIN (Npgsql sends that with the first command), then one COMMIT. The two
/// statements are prepared: Npgsql keeps a prepared statement on the physical connection it was prepared on, across
/// returns to the pool, so after the first batches on a connection preparing costs nothing. Checking the rows written
/// (an update of a request not stored writes none) before the commit is why the commit is not in the batch itself.
/// Concurrent batches need no gate: each takes its own pooled connection, and READ COMMITTED is enough, since a save
/// reads nothing it decides on; two servers inserting the same key meet at the key's unique index (the later waits for
/// the earlier to commit, then fails).
/// </summary>
internal sealed class PostgresRequestWriter(PostgresDatabase database, IPayloadProtector? protector = null) : IRequestWriter
{
    private static readonly string Upsert = RequestSave.Upsert(Parameter);

    private static readonly string Update = RequestSave.Update(Parameter);

    public async Task SaveAsync(IReadOnlyList<ProxiedRequest> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var commands = requests.Select(Command).ToList();
        await using var connection = (NpgsqlConnection)await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        commands.ForEach(batch.BatchCommands.Add);
        try
        {
            await batch.PrepareAsync(cancellationToken);
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (database.IsUniqueViolation(ex))
        {
            // The id is the upsert's conflict target, so the key's index is the only one a save can violate.
            await transaction.RollbackAsync(cancellationToken);
            throw await KeyTakenAsync(connection, requests, ex, cancellationToken);
        }
        catch (Exception ex) when (database.AsFull(ex) is { } full)
        {
            throw full;
        }

        for (var i = 0; i < commands.Count; i++)
        {
            if (commands[i].RecordsAffected == 0)
            {
                throw RequestSave.NotStored(requests[i], nameof(requests));
            }
        }

        try
        {
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception ex) when (database.AsFull(ex) is { } full)
        {
            throw full;
        }
    }

    /// <summary>
    /// The error for a batch one of whose keys is held. Npgsql names the failed statement only when the connection string asks
    /// it to (the statement holds the parameters: payloads and keys), so the request is found by asking which key of the batch
    /// is stored under another id (the transaction holding it committed before ours failed), else which repeats an earlier
    /// request's key in the batch itself.
    /// </summary>
    private static async Task<IdempotencyKeyTakenException> KeyTakenAsync(
        NpgsqlConnection connection, IReadOnlyList<ProxiedRequest> requests, PostgresException violation, CancellationToken cancellationToken)
    {
        var keyed = requests.Where(r => r.IdempotencyKey is not null).ToList();
        if (keyed.Count <= 1)
        {
            return RequestSave.KeyTaken(keyed.Count == 1 ? keyed[0] : requests[0], violation);
        }

        await using var command = new NpgsqlCommand(
            """
            SELECT b.i FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS b(id, agent, scope, key, i)
            JOIN requests r ON r.agent = b.agent AND r.idempotency_scope = b.scope AND r.idempotency_key = b.key AND r.id <> b.id
            ORDER BY b.i LIMIT 1
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = keyed.Select(r => r.Id).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = keyed.Select(r => r.AgentName).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = keyed.Select(RequestSave.KeyScope).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = keyed.Select(r => r.IdempotencyKey).ToArray() });
        if (await command.ExecuteScalarAsync(cancellationToken) is long ordinal)
        {
            return RequestSave.KeyTaken(keyed[(int)ordinal - 1], violation);
        }

        var seen = new HashSet<(string, string?, string?)>();
        var repeat = keyed.FirstOrDefault(r => !seen.Add((r.AgentName, RequestSave.KeyScope(r), r.IdempotencyKey)));
        return RequestSave.KeyTaken(repeat ?? keyed[0], violation);
    }

    // Positional parameters ($1, $2, …): Npgsql sends the text as it is, without rewriting named ones.
    private static string Parameter(int index) => "$" + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private NpgsqlBatchCommand Command(ProxiedRequest request)
    {
        var values = RequestSave.Values(request, protector);
        var command = new NpgsqlBatchCommand(request.Message is null ? Update : Upsert);
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.Add(new NpgsqlParameter { DbType = RequestSave.All[i].Type, Value = values[i] ?? DBNull.Value });
        }

        return command;
    }
}
