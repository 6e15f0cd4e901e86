using System.Globalization;
using Berth.Core.Runtime;

namespace Berth.Runtime.Docker.Runtime;

/// <summary>Labels Berth puts on the engine objects it owns, so it finds them again after a restart.</summary>
internal static class DockerLabels
{
    public const string Managed = "berth.managed";
    public const string Agent = "berth.agent";
    public const string Instance = "berth.instance";
    public const string Ordinal = "berth.ordinal";
    public const string Generation = "berth.generation";
    public const string Owner = "berth.owner";
    public const string ManagedFilter = Managed + "=true";

    public const string ContainerPrefix = "berth-";

    public static string ContainerName(string instanceId) => ContainerPrefix + instanceId;

    public static string AgentFilter(string agentName) => Agent + "=" + agentName;

    public static string OwnerFilter(string ownerId) => Owner + "=" + ownerId;

    /// <summary>The labels of the engine object running <paramref name="launch"/> for <paramref name="ownerId"/>: how Berth finds and adopts it.</summary>
    public static Dictionary<string, string> ForInstance(string ownerId, InstanceLaunch launch) => new()
    {
        [Managed] = "true",
        [Owner] = ownerId,
        [Agent] = launch.Spec.Name,
        [Instance] = launch.InstanceId,
        [Ordinal] = launch.Ordinal.ToString(CultureInfo.InvariantCulture),
        [Generation] = launch.Generation.ToString(CultureInfo.InvariantCulture),
    };
}
