using System.Text.Json.Serialization;
using Berth.Core.Serialization;

namespace Berth.Core.Workflows.Runs;

/// <summary>Where a workflow run is.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<RunState>))]
public enum RunState
{
    /// <summary>Stored, not started yet.</summary>
    Queued,

    /// <summary>Steps are running or ready to.</summary>
    Running,

    /// <summary>Every step succeeded, was skipped, was cached, or failed with <c>continueOnError</c>.</summary>
    Succeeded,

    /// <summary>A step failed.</summary>
    Failed,

    /// <summary>Cancelled by a user, or it ran past the workflow's timeout.</summary>
    Cancelled,
}
