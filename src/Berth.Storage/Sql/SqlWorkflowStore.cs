using System.Text.Json;
using Berth.Core.Serialization;
using Berth.Core.Storage;
using Berth.Core.Workflows;
using Berth.Storage.Mapping;
using Dapper;

namespace Berth.Storage.Sql;

/// <summary>Workflows in the <c>workflows</c> table; the spec is the API's JSON in a text column.</summary>
internal sealed class SqlWorkflowStore(StoreDatabase database, TimeProvider timeProvider) : IWorkflowStore
{
    private const string SelectOne = $"SELECT {WorkflowRow.Columns} FROM workflows WHERE name = @Name";

    private const string Insert =
        $"""
        INSERT INTO workflows (name, spec, generation, created_at, updated_at) VALUES (@Name, @Spec, 1, @Now, @Now)
        RETURNING {WorkflowRow.Columns}
        """;

    private const string Update =
        $"""
        UPDATE workflows SET spec = @Spec, generation = generation + 1, updated_at = @Now WHERE name = @Name
        RETURNING {WorkflowRow.Columns}
        """;

    public async Task<WorkflowRecord?> GetAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<WorkflowRow>(new CommandDefinition(SelectOne, new { Name = name }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<WorkflowRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<WorkflowRow>(new CommandDefinition(
            $"SELECT {WorkflowRow.Columns} FROM workflows ORDER BY name", cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<(WorkflowRecord Workflow, ApplyOutcome Outcome)> ApplyAsync(WorkflowSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrEmpty(spec.Name);
        var json = StoredJson.Serialize(spec);
        var parameters = new { spec.Name, Spec = json, Now = StoredTime.Format(timeProvider.GetUtcNow()) };
        return await database.WriteAsync(async (connection, transaction) =>
        {
            var current = await connection.QuerySingleOrDefaultAsync<WorkflowRow>(
                new CommandDefinition(SelectOne, parameters, transaction, cancellationToken: cancellationToken));
            if (current is not null && Matches(current.Spec, json))
            {
                return (current.ToRecord(), ApplyOutcome.Unchanged);
            }

            var sql = current is null ? Insert : Update;
            var stored = await connection.QuerySingleAsync<WorkflowRow>(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));
            return (stored.ToRecord(), current is null ? ApplyOutcome.Created : ApplyOutcome.Updated);
        }, cancellationToken);
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM workflows WHERE name = @Name", new { Name = name }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>
    /// Whether the stored JSON is the same spec as <paramref name="json"/>. The stored text is re-serialized first, so a spec
    /// stored by an older Berth still compares equal; unreadable stored JSON never matches, so an apply repairs the row.
    /// </summary>
    private static bool Matches(string storedJson, string json)
    {
        if (string.Equals(storedJson, json, StringComparison.Ordinal))
        {
            return true;
        }

        try
        {
            var stored = JsonSerializer.Deserialize<WorkflowSpec>(storedJson, BerthJson.Options);
            return stored is not null && string.Equals(StoredJson.Serialize(stored), json, StringComparison.Ordinal);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
