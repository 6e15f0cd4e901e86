using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Docker.Steps;

/// <summary>Source-generated log messages of the docker step runner.</summary>
internal static partial class StepRunnerLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Started step container {ContainerName} ({ContainerId}) for run {RunId} step {StepId} attempt {Attempt}")]
    public static partial void Started(ILogger logger, string runId, string stepId, int attempt, string containerName, string containerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removed a leftover step container named {ContainerName} before creating it again")]
    public static partial void ReplacedLeftover(ILogger logger, string containerName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Engine warning creating step container {ContainerName}: {Warning}")]
    public static partial void CreateWarning(ILogger logger, string containerName, string warning);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Left out {Count} entries of the outputs of step container {ContainerId}: links, special files or names leaving the output path")]
    public static partial void OutputEntriesSkipped(ILogger logger, string containerId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove step container {ContainerId}; the clean-up of leftover step containers will: {Reason}")]
    public static partial void RemoveFailed(ILogger logger, string containerId, string reason, Exception exception);
}
