using System.Text.Json.Serialization;
using Berth.Core.Serialization;

namespace Berth.Core.Workflows;

/// <summary>Why a step attempt failed; retries and circuit breakers decide by class.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<ErrorClass>))]
public enum ErrorClass
{
    /// <summary>Might work if tried again: a connection failed, an agent answered 5xx, the engine hiccupped.</summary>
    Transient,

    /// <summary>The attempt ran out of time (and was killed).</summary>
    Timeout,

    /// <summary>Out of memory or killed (exit 137).</summary>
    Resource,

    /// <summary>The work itself failed: a non-zero exit, a 4xx answer.</summary>
    User,

    /// <summary>The step cannot run as written: a missing image, agent or workflow, an expression that finds nothing.</summary>
    Config,

    /// <summary>Not tried: the target's circuit breaker is open after repeated failures.</summary>
    CircuitOpen,

    /// <summary>The run was cancelled or timed out as a whole.</summary>
    Cancelled,
}
