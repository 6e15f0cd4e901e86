using System.Text.Json;
using Berth.Core.Serialization;
using Berth.Core.Storage;
using Berth.Storage.Mapping;
using Dapper;

namespace Berth.Storage.Sql;

/// <summary>
/// A table of applied specs keyed by name (<c>name, spec, created_at, updated_at</c>, plus at most one more column a store
/// fills): listing, applying and deleting them the one way every such kind does. The spec is the API's JSON.
/// </summary>
internal sealed class SpecTable<T>(string table, string kind, Func<T, string> nameOf, string? extraColumn = null)
    where T : class
{
    private readonly string _select = $"SELECT spec FROM {table} WHERE name = @Name";
    private readonly string _list = $"SELECT name, spec FROM {table} ORDER BY name";
    private readonly string _insert = extraColumn is null
        ? $"INSERT INTO {table} (name, spec, created_at, updated_at) VALUES (@Name, @Spec, @Now, @Now)"
        : $"INSERT INTO {table} (name, {extraColumn}, spec, created_at, updated_at) VALUES (@Name, @Extra, @Spec, @Now, @Now)";
    private readonly string _update = extraColumn is null
        ? $"UPDATE {table} SET spec = @Spec, updated_at = @Now WHERE name = @Name"
        : $"UPDATE {table} SET {extraColumn} = @Extra, spec = @Spec, updated_at = @Now WHERE name = @Name";
    private readonly string _delete = $"DELETE FROM {table} WHERE name = @Name";

    /// <summary>Every spec, ordered by name.</summary>
    public async Task<IReadOnlyList<T>> ListAsync(StoreDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Name, string Spec)>(new CommandDefinition(_list, cancellationToken: cancellationToken));
        return rows.Select(r => Read(r.Spec, r.Name)).ToList();
    }

    /// <summary>One spec, or null when none has the name.</summary>
    public async Task<T?> GetAsync(StoreDatabase database, string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var json = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(_select, new { Name = name }, cancellationToken: cancellationToken));
        return json is null ? null : Read(json, name);
    }

    /// <summary>Creates the row or updates its spec; unchanged when the stored spec (as this Berth writes it) is the same.</summary>
    public async Task<ApplyOutcome> ApplyAsync(StoreDatabase database, T spec, string? extra, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var name = nameOf(spec);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var json = StoredJson.Serialize(spec);
        var parameters = new { Name = name, Extra = extra, Spec = json, Now = StoredTime.Format(now) };
        return await database.WriteAsync(async (connection, transaction) =>
        {
            var stored = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(_select, parameters, transaction, cancellationToken: cancellationToken));
            if (stored is not null && (string.Equals(stored, json, StringComparison.Ordinal) || string.Equals(Normalize(stored), json, StringComparison.Ordinal)))
            {
                return ApplyOutcome.Unchanged;
            }

            await connection.ExecuteAsync(new CommandDefinition(stored is null ? _insert : _update, parameters, transaction, cancellationToken: cancellationToken));
            return stored is null ? ApplyOutcome.Created : ApplyOutcome.Updated;
        }, cancellationToken);
    }

    /// <summary>Deletes the row; false when none has the name.</summary>
    public async Task<bool> DeleteAsync(StoreDatabase database, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(_delete, new { Name = name }, cancellationToken: cancellationToken)) > 0;
    }

    private T Read(string json, string name)
    {
        var owner = $"{kind} '{name}'";
        var spec = StoredJson.Deserialize<T>(json, owner, "spec");
        return string.Equals(nameOf(spec), name, StringComparison.Ordinal)
            ? spec
            : throw new StoredDataException($"{owner} cannot be read: its spec names '{nameOf(spec)}'. The database was probably edited by hand; apply it again.");
    }

    /// <summary>
    /// The stored spec written again by this Berth, so one stored by an older Berth (or reformatted) still compares equal;
    /// null for unreadable JSON, which never matches, so applying over a hand-broken row repairs it.
    /// </summary>
    private static string? Normalize(string stored)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(stored, BerthJson.Options) is { } spec ? StoredJson.Serialize(spec) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
