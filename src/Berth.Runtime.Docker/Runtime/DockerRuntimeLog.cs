using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Docker.Runtime;

/// <summary>Source-generated log messages of the docker driver.</summary>
internal static partial class DockerRuntimeLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Building image {Tag} for agent {AgentName} from {Context}")]
    public static partial void Building(ILogger logger, string agentName, string tag, string context);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Image {Tag} for agent {AgentName} already built; not rebuilding")]
    public static partial void BuildReused(ILogger logger, string agentName, string tag);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Build {Tag}: {Line}")]
    public static partial void BuildOutput(ILogger logger, string tag, string line);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created network {Network} for agent {AgentName}")]
    public static partial void NetworkCreated(ILogger logger, string agentName, string network);

    [LoggerMessage(Level = LogLevel.Information, Message = "Subnet {Subnet} picked for agent {AgentName} was taken meanwhile; picking again")]
    public static partial void SubnetTaken(ILogger logger, string agentName, string subnet);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created container {ContainerName} ({ContainerId}) for instance {InstanceId}")]
    public static partial void ContainerCreated(ILogger logger, string instanceId, string containerName, string containerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Restarting exited container {ContainerName} for instance {InstanceId}")]
    public static partial void ContainerRestarted(ILogger logger, string instanceId, string containerName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Engine warning creating {ContainerName}: {Warning}")]
    public static partial void CreateWarning(ILogger logger, string containerName, string warning);

    [LoggerMessage(Level = LogLevel.Information, Message = "Listed {Count} Berth containers; following the engine's events from here")]
    public static partial void Resynced(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The engine's event stream broke ({Reason}); the next look lists every container again")]
    public static partial void EventStreamBroke(ILogger logger, string reason);
}
