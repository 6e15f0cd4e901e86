using Berth.Core.Workflows.Runs;
using Berth.Storage.Mapping;

namespace Berth.Storage.Sql;

/// <summary>One row of <c>step_cache</c> as Dapper reads it.</summary>
internal sealed class CacheEntryRow
{
    public const string Columns =
        "key AS Key, workflow_name AS WorkflowName, step_id AS StepId, parts AS Parts, outputs AS Outputs, created_at AS CreatedAt, expires_at AS ExpiresAt";

    public string Key { get; init; } = "";

    public string WorkflowName { get; init; } = "";

    public string StepId { get; init; } = "";

    public string Parts { get; init; } = "";

    public string Outputs { get; init; } = "";

    public string CreatedAt { get; init; } = "";

    public string? ExpiresAt { get; init; }

    public CacheEntry ToEntry()
    {
        var owner = $"Cache entry {Key}";
        return new CacheEntry
        {
            Key = Key,
            WorkflowName = WorkflowName,
            StepId = StepId,
            Parts = StoredJson.Deserialize<Dictionary<string, string>>(Parts, owner, "parts"),
            Outputs = StoredJson.Deserialize<StepOutputs>(Outputs, owner, "outputs"),
            CreatedAt = StoredJson.Time(CreatedAt, owner, "created_at"),
            ExpiresAt = StoredJson.TimeOrNull(ExpiresAt, owner, "expires_at"),
        };
    }
}
