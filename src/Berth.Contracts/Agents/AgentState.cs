using System.Text.Json.Serialization;
using Berth.Core.Serialization;

namespace Berth.Core.Agents;

/// <summary>An agent's overall state, derived from its desired state and its instances.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<AgentState>))]
public enum AgentState
{
    /// <summary>Wanted running; no instance has started yet.</summary>
    Pending,

    /// <summary>Instances are starting; none failed, not all healthy yet.</summary>
    Starting,

    /// <summary>Every wanted replica is running and healthy.</summary>
    Running,

    /// <summary>At least one instance runs but fails its health probe or is restarting.</summary>
    Unhealthy,

    /// <summary>Stopped on purpose (or zero replicas).</summary>
    Stopped,

    /// <summary>An instance exited and will not be restarted, or could not be started.</summary>
    Failed,

    /// <summary>Being removed.</summary>
    Removing,
}
