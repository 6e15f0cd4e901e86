using Berth.Core.Workflows.Runs;
using Berth.Storage.Mapping;

namespace Berth.Storage.Sql;

/// <summary>One row of <c>run_events</c> as Dapper reads it.</summary>
internal sealed class RunEventRow
{
    public const string Columns =
        "run_id AS RunId, sequence AS Sequence, time AS Time, type AS Type, step_id AS StepId, attempt AS Attempt, message AS Message";

    public string RunId { get; init; } = "";

    public long Sequence { get; init; }

    public string Time { get; init; } = "";

    public string Type { get; init; } = "";

    public string? StepId { get; init; }

    public long? Attempt { get; init; }

    public string? Message { get; init; }

    public RunEvent ToEvent() => new()
    {
        RunId = RunId,
        Sequence = Sequence,
        Time = StoredJson.Time(Time, $"Event {Sequence} of run {RunId}", "time"),
        Type = Type,
        StepId = StepId,
        Attempt = Attempt is { } attempt ? checked((int)attempt) : null,
        Message = Message,
    };
}
