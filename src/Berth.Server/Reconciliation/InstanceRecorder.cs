using Berth.Core.Agents;
using Berth.Core.Storage;
using Berth.Server.Agents;
using Berth.Server.Secrets;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Reconciliation;

/// <summary>
/// Writes what the reconciler decides: instance records (only when they changed) and agent events, both redacted; each write
/// raises <see cref="AgentChanges"/> after it is stored.
/// </summary>
internal sealed partial class InstanceRecorder(
    IInstanceStore instances, IEventStore events, SecretRedactor redactor, AgentChanges changes, TimeProvider time, ILogger<InstanceRecorder> logger)
{
    public DateTimeOffset Now => time.GetUtcNow();

    public async Task UpsertAsync(InstanceRecord record, CancellationToken cancellationToken)
    {
        await instances.UpsertAsync(record, cancellationToken);
        changes.Raise(record.AgentName);
    }

    public Task DeleteAsync(string instanceId, CancellationToken cancellationToken) => instances.DeleteAsync(instanceId, cancellationToken);

    /// <summary>Persists the record when it changed; returns what is stored. Copies nothing when nothing changed (most calls).</summary>
    public async ValueTask<InstanceRecord> SaveAsync(InstanceRecord before, InstanceRecord after, CancellationToken cancellationToken)
    {
        var message = redactor.Redact(after.Message);
        if (!string.Equals(message, after.Message, StringComparison.Ordinal))
        {
            after = after with { Message = message };
        }

        if (ReferenceEquals(after, before) || after == (after.UpdatedAt == before.UpdatedAt ? before : before with { UpdatedAt = after.UpdatedAt }))
        {
            return before;
        }

        var stamped = after with { UpdatedAt = time.GetUtcNow() };
        await instances.UpsertAsync(stamped, cancellationToken);
        changes.Raise(stamped.AgentName);
        return stamped;
    }

    public async Task EmitAsync(string agentName, string? instanceId, string reason, string message, bool warning, CancellationToken cancellationToken)
    {
        message = redactor.Redact(message);
        LogAgentEvent(agentName, reason, instanceId, message);
        await events.AppendAsync(
            new AgentEvent
            {
                Time = time.GetUtcNow(),
                AgentName = agentName,
                InstanceId = instanceId,
                Reason = reason,
                Message = message,
                Warning = warning,
            },
            cancellationToken);
        changes.Raise(agentName);
    }

    /// <summary>Logs without storing an event (the agent's events go with it).</summary>
    public void Note(string agentName, string reason, string detail) => LogAgentEvent(agentName, reason, null, detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "{AgentName}: {Reason} {InstanceId}: {Detail}")]
    private partial void LogAgentEvent(string agentName, string reason, string? instanceId, string detail);
}
