using System.Text.Json.Serialization;
using Berth.Core.Serialization;

namespace Berth.Core.Workflows.Runs;

/// <summary>Where one step of a run is.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<StepState>))]
public enum StepState
{
    /// <summary>Waiting for its dependencies.</summary>
    Pending,

    /// <summary>Ready, waiting for a free slot (the workflow's concurrency).</summary>
    Queued,

    /// <summary>An attempt is running.</summary>
    Running,

    /// <summary>An attempt failed with a retryable class; the next starts after a delay.</summary>
    Retrying,

    /// <summary>Finished well.</summary>
    Succeeded,

    /// <summary>Reused the outputs of an earlier run with the same cache key; nothing ran.</summary>
    Cached,

    /// <summary>Its condition was false, or a dependency failed.</summary>
    Skipped,

    /// <summary>Its last attempt failed.</summary>
    Failed,

    /// <summary>The run was cancelled before it finished.</summary>
    Cancelled,
}
