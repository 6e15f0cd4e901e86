using System.Text.Json.Serialization;
using Berth.Core.Serialization;

namespace Berth.Core.Agents;

/// <summary>What the operator wants for an agent.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<DesiredState>))]
public enum DesiredState
{
    /// <summary>Run <c>spec.replicas</c> instances.</summary>
    Running,

    /// <summary>Keep the agent defined but run no instance.</summary>
    Stopped,

    /// <summary>Remove every instance and everything the agent owns, then forget it.</summary>
    Removed,
}
