using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Docker.Swarm;

internal static partial class SwarmRuntimeLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Created service {Service} for instance {InstanceId}")]
    public static partial void ServiceCreated(ILogger logger, string instanceId, string service);

    [LoggerMessage(Level = LogLevel.Information, Message = "Started service {Service} of instance {InstanceId} again with a new task")]
    public static partial void ServiceRestarted(ILogger logger, string instanceId, string service);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not bring back the relay of instance {InstanceId}: {Reason}")]
    public static partial void RelayRepairFailed(ILogger logger, string instanceId, string reason);
}
