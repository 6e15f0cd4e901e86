using Microsoft.Extensions.Logging;

namespace Berth.Server.Reconciliation;

internal sealed partial class Reconciler
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{AgentName}: {Reason} {InstanceId}: {Detail}")]
    private partial void LogAgentEvent(string agentName, string reason, string? instanceId, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reconciling agent {AgentName} failed")]
    private partial void LogAgentFailed(Exception exception, string agentName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Runtime} runtime does not answer: {Reason}")]
    private partial void LogRuntimeUnavailable(string runtime, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "The {Runtime} runtime answers")]
    private partial void LogRuntimeAvailable(string runtime);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed orphaned instance {InstanceId} of unknown agent {AgentName}")]
    private partial void LogOrphanRemoved(string instanceId, string agentName);
}
