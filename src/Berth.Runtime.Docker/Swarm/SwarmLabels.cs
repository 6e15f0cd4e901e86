using Berth.Runtime.Docker.Runtime;

namespace Berth.Runtime.Docker.Swarm;

/// <summary>Names and labels of the Swarm objects Berth owns, beside <see cref="DockerLabels"/>'s.</summary>
internal static class SwarmLabels
{
    /// <summary>What an object is to Berth: <c>relay</c> on relay containers, <c>file</c> on secrets holding an instance's files.</summary>
    public const string Role = "berth.role";

    public const string RelayRole = "relay";

    public const string FileRole = "file";

    /// <summary>The port a relay listens on inside its container.</summary>
    public const int RelayPort = 8080;

    /// <summary>The service running an instance: <c>berth-{instance}</c>, which is also its name on the overlay network.</summary>
    public static string ServiceName(string instanceId) => DockerLabels.ContainerName(instanceId);

    /// <summary>The container relaying to an instance: <c>berth-relay-{instance}</c>.</summary>
    public static string RelayName(string instanceId) => DockerLabels.ContainerPrefix + "relay-" + instanceId;
}
