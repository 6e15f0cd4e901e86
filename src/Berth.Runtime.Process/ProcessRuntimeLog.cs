using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Process;

internal static partial class ProcessRuntimeLog
{
    [LoggerMessage(1, LogLevel.Information, "Started instance {InstanceId} of agent {AgentName} as pid {Pid} on port {Port}")]
    public static partial void Started(ILogger logger, string instanceId, string agentName, int pid, int port);

    [LoggerMessage(2, LogLevel.Information, "Re-adopted instance {InstanceId} (pid {Pid}) started by an earlier server run")]
    public static partial void Adopted(ILogger logger, string instanceId, int pid);

    [LoggerMessage(3, LogLevel.Information, "Instance {InstanceId} (pid {Pid}) exited with code {ExitCode}")]
    public static partial void Exited(ILogger logger, string instanceId, int pid, int? exitCode);

    [LoggerMessage(4, LogLevel.Information, "Stopping instance {InstanceId} (process group {Pid}) with a grace period of {GracePeriod}")]
    public static partial void Stopping(ILogger logger, string instanceId, int pid, TimeSpan gracePeriod);

    [LoggerMessage(5, LogLevel.Warning, "Instance {InstanceId} (process group {Pid}) outlived its grace period and was killed")]
    public static partial void Killed(ILogger logger, string instanceId, int pid);

    [LoggerMessage(6, LogLevel.Information, "Removed instance {InstanceId}")]
    public static partial void Removed(ILogger logger, string instanceId);

    [LoggerMessage(7, LogLevel.Warning, "Could not stamp the logs of instance {InstanceId}")]
    public static partial void LogIndexFailed(ILogger logger, string instanceId, Exception exception);

    [LoggerMessage(8, LogLevel.Warning, "Skipping instance folder {InstanceId}: {Reason}")]
    public static partial void SkippedInstance(ILogger logger, string instanceId, string reason);

    [LoggerMessage(9, LogLevel.Error, "Could not record the exit of instance {InstanceId}")]
    public static partial void ExitRecordFailed(ILogger logger, string instanceId, Exception exception);

    [LoggerMessage(10, LogLevel.Information, "Process agents are confined by {Isolation}; their homes are under {AgentsDirectory}")]
    public static partial void Confinement(ILogger logger, string isolation, string agentsDirectory);

    [LoggerMessage(11, LogLevel.Warning, "Berth:Process:Isolation is 'none': process agents run as the server's user and can read its data directory, the secrets key and the admin token. Use it only when every agent is trusted")]
    public static partial void Unconfined(ILogger logger);
}
