using System.Text.Json.Serialization;
using Berth.Core.Serialization;

namespace Berth.Core.Specs;

/// <summary>Whether an agent runs as a container (from an image or a build) or as a local process.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<AgentKind>))]
public enum AgentKind
{
    /// <summary>Runs from <see cref="AgentSpec.Image"/> or <see cref="AgentSpec.Build"/> on a container engine.</summary>
    Container,

    /// <summary>Runs <see cref="AgentSpec.Process"/> as a child process of the server.</summary>
    Process,
}
