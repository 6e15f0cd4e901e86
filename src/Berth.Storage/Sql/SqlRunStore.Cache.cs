using Berth.Core.Workflows.Runs;
using Berth.Storage.Mapping;
using Dapper;

namespace Berth.Storage.Sql;

/// <summary>Step results under their cache keys, in <c>step_cache</c>.</summary>
internal sealed partial class SqlRunStore
{
    private const string UpsertCache =
        """
        INSERT INTO step_cache (key, workflow_name, step_id, parts, outputs, created_at, expires_at)
        VALUES (@Key, @WorkflowName, @StepId, @Parts, @Outputs, @CreatedAt, @ExpiresAt)
        ON CONFLICT (key) DO UPDATE SET workflow_name = excluded.workflow_name, step_id = excluded.step_id, parts = excluded.parts,
            outputs = excluded.outputs, created_at = excluded.created_at, expires_at = excluded.expires_at
        """;

    public async Task<CacheEntry?> FindCacheAsync(string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<CacheEntryRow>(new CommandDefinition(
            $"SELECT {CacheEntryRow.Columns} FROM step_cache WHERE key = @Key AND (expires_at IS NULL OR expires_at > @Now)",
            new { Key = key, Now = StoredTime.Format(now) },
            cancellationToken: cancellationToken));
        return row?.ToEntry();
    }

    public async Task PutCacheAsync(CacheEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(entry.Key);
        var parameters = new
        {
            entry.Key,
            entry.WorkflowName,
            entry.StepId,
            Parts = StoredJson.Serialize(entry.Parts),
            Outputs = StoredJson.Serialize(entry.Outputs),
            CreatedAt = StoredTime.Format(entry.CreatedAt),
            ExpiresAt = StoredTime.Format(entry.ExpiresAt),
        };
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(UpsertCache, parameters, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<CacheEntry>> RecentCacheAsync(string workflowName, string stepId, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflowName);
        ArgumentNullException.ThrowIfNull(stepId);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<CacheEntryRow>(new CommandDefinition(
            $"""
            SELECT {CacheEntryRow.Columns} FROM step_cache
            WHERE workflow_name = @WorkflowName AND step_id = @StepId
            ORDER BY created_at DESC, key DESC
            LIMIT @Limit
            """,
            new { WorkflowName = workflowName, StepId = stepId, Limit = limit },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToEntry()).ToList();
    }
}
