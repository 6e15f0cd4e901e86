using Berth.Core.Workflows.Runs;
using Berth.Storage.Mapping;

namespace Berth.Storage.Sql;

/// <summary>One row of <c>run_steps</c> as Dapper reads it.</summary>
internal sealed class StepRunRow
{
    public const string Columns =
        "run_id AS RunId, step_id AS StepId, state AS State, attempt AS Attempt, started_at AS StartedAt, finished_at AS FinishedAt, " +
        "retry_at AS RetryAt, outputs AS Outputs, failure AS Failure, cache_key AS CacheKey, container_id AS ContainerId";

    public string RunId { get; init; } = "";

    public string StepId { get; init; } = "";

    public string State { get; init; } = "";

    public long Attempt { get; init; }

    public string? StartedAt { get; init; }

    public string? FinishedAt { get; init; }

    public string? RetryAt { get; init; }

    public string? Outputs { get; init; }

    public string? Failure { get; init; }

    public string? CacheKey { get; init; }

    public string? ContainerId { get; init; }

    public StepRun ToStep()
    {
        var owner = $"Step '{StepId}' of run {RunId}";
        return new StepRun
        {
            RunId = RunId,
            StepId = StepId,
            State = StoredJson.Enum<StepState>(State, owner, "state"),
            Attempt = checked((int)Attempt),
            StartedAt = StoredJson.TimeOrNull(StartedAt, owner, "started_at"),
            FinishedAt = StoredJson.TimeOrNull(FinishedAt, owner, "finished_at"),
            RetryAt = StoredJson.TimeOrNull(RetryAt, owner, "retry_at"),
            Outputs = StoredJson.DeserializeOrNull<StepOutputs>(Outputs, owner, "outputs"),
            Failure = StoredJson.DeserializeOrNull<StepFailure>(Failure, owner, "failure"),
            CacheKey = CacheKey,
            ContainerId = ContainerId,
        };
    }
}
