using Berth.Core.Plugins;
using Berth.Storage.Mapping;

namespace Berth.Storage.Sql;

/// <summary>One row of <c>plugin_invocations</c> as Dapper reads it.</summary>
internal sealed class PluginInvocationRow
{
    public const string Columns =
        "id AS Id, plugin_id AS PluginId, version AS Version, caller AS Caller, run_id AS RunId, step_id AS StepId, instance_id AS InstanceId, " +
        "started_at AS StartedAt, duration_ms AS DurationMs, outcome AS Outcome, error_class AS ErrorClass, message AS Message";

    public string Id { get; init; } = "";

    public string PluginId { get; init; } = "";

    public string Version { get; init; } = "";

    public string Caller { get; init; } = "";

    public string? RunId { get; init; }

    public string? StepId { get; init; }

    public string? InstanceId { get; init; }

    public string StartedAt { get; init; } = "";

    public double DurationMs { get; init; }

    public string Outcome { get; init; } = "";

    public string? ErrorClass { get; init; }

    public string? Message { get; init; }

    public static object Parameters(PluginInvocation invocation) => new
    {
        invocation.Id,
        invocation.PluginId,
        invocation.Version,
        invocation.Caller,
        invocation.RunId,
        invocation.StepId,
        invocation.InstanceId,
        StartedAt = StoredTime.Format(invocation.StartedAt),
        DurationMs = invocation.Duration.TotalMilliseconds,
        Outcome = StoredEnum<PluginOutcome>.ToText(invocation.Outcome),
        invocation.ErrorClass,
        invocation.Message,
    };

    public PluginInvocation ToRecord()
    {
        var owner = $"Plugin invocation '{Id}'";
        return new PluginInvocation
        {
            Id = Id,
            PluginId = PluginId,
            Version = Version,
            Caller = Caller,
            RunId = RunId,
            StepId = StepId,
            InstanceId = InstanceId,
            StartedAt = StoredJson.Time(StartedAt, owner, "started_at"),
            Duration = TimeSpan.FromMilliseconds(DurationMs),
            Outcome = StoredJson.Enum<PluginOutcome>(Outcome, owner, "outcome"),
            ErrorClass = ErrorClass,
            Message = Message,
        };
    }
}
