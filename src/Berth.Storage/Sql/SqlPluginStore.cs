using Berth.Core.Plugins;
using Berth.Core.Storage;
using Berth.Storage.Mapping;
using Dapper;

namespace Berth.Storage.Sql;

/// <summary>Installed plugin versions in <c>plugins</c>, their calls in <c>plugin_invocations</c>.</summary>
internal sealed class SqlPluginStore(StoreDatabase database) : IPluginStore
{
    private const string InsertInvocation = """
        INSERT INTO plugin_invocations (id, plugin_id, version, caller, run_id, step_id, instance_id, started_at, duration_ms, outcome, error_class, message)
        VALUES (@Id, @PluginId, @Version, @Caller, @RunId, @StepId, @InstanceId, @StartedAt, @DurationMs, @Outcome, @ErrorClass, @Message)
        """;

    public async Task<PluginRecord?> GetAsync(string id, string version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(version);
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<PluginRow>(new CommandDefinition(
            $"SELECT {PluginRow.Columns} FROM plugins WHERE id = @Id AND version = @Version", new { Id = id, Version = version }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<PluginRecord>> ListAsync(string? id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<PluginRow>(new CommandDefinition(
            $"SELECT {PluginRow.Columns} FROM plugins WHERE @Id IS NULL OR id = @Id ORDER BY id, installed_at, version",
            new { Id = id },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<bool> AddAsync(PluginRecord plugin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO plugins (id, version, spec, directory, digest, source, notes, installed_at, installed_by)
            VALUES (@Id, @Version, @Spec, @Directory, @Digest, @Source, @Notes, @InstalledAt, @InstalledBy)
            ON CONFLICT (id, version) DO NOTHING
            """,
            PluginRow.Parameters(plugin),
            cancellationToken: cancellationToken)) > 0;
    }

    public async Task<bool> DeleteAsync(string id, string version, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM plugins WHERE id = @Id AND version = @Version", new { Id = id, Version = version }, cancellationToken: cancellationToken)) > 0;
    }

    public async Task AddInvocationAsync(PluginInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(InsertInvocation, PluginInvocationRow.Parameters(invocation), cancellationToken: cancellationToken));
    }

    public async Task AddInvocationsAsync(IReadOnlyList<PluginInvocation> invocations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocations);
        await database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
                InsertInvocation, invocations.Select(PluginInvocationRow.Parameters), transaction, cancellationToken: cancellationToken)),
            cancellationToken);
    }

    public async Task<IReadOnlyList<PluginInvocation>> ListInvocationsAsync(string id, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<PluginInvocationRow>(new CommandDefinition(
            $"SELECT {PluginInvocationRow.Columns} FROM plugin_invocations WHERE plugin_id = @Id ORDER BY started_at DESC, id DESC LIMIT @Limit",
            new { Id = id, Limit = limit },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<int> PurgeInvocationsAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM plugin_invocations WHERE started_at < @Cutoff",
            new { Cutoff = StoredTime.Format(before) },
            cancellationToken: cancellationToken));
    }
}
