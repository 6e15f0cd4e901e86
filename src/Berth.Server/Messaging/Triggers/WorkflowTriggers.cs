using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Core.Messaging;
using Berth.Core.Serialization;
using Berth.Core.Storage;
using Berth.Server.Workflows.Engine;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Messaging.Triggers;

/// <summary>
/// Starts a run for each message that reaches a workflow's trigger subscription (<c>workflow/NAME</c>, declared by the topology
/// for <c>on: { message: { topic, filter } }</c>). The run's id is derived from the workflow and the message id, so a message
/// delivered again (the server crashed between storing the run and the ack) finds its run and is only acked: one run per
/// message. Inputs are the body's fields of the same names (when the body is an object); the whole message is <c>trigger.message</c>.
/// A message whose inputs do not bind is nacked with the reason, and dead-lettered after the topic's <c>maxDeliveries</c>.
/// </summary>
internal sealed partial class WorkflowTriggers(
    MessagingTopology topology, IMessageBroker broker, IWorkflowStore workflows, IRunStore runs, RunCommands commands, SubscriptionSignals signals,
    TimeProvider time, ILogger<WorkflowTriggers> logger) : SubscriptionWorkerHost<string>(topology, time)
{
    private const int Batch = 16;

    /// <summary>The id of the run <paramref name="messageId"/> starts for <paramref name="workflow"/>: the same every time.</summary>
    public static string RunIdFor(string workflow, string messageId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"trigger\n{workflow}\n{messageId}"));
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    /// <summary>Each trigger subscription (<c>workflow/NAME</c>) gets a worker for its workflow.</summary>
    protected override string? Select(SubscriptionSpec subscription) =>
        subscription.Name.StartsWith(MessagingTopology.TriggerPrefix, StringComparison.Ordinal) ? subscription.Name[MessagingTopology.TriggerPrefix.Length..] : null;

    protected override async Task RunWorkerAsync(string subscription, string workflow, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var pulse = signals.Next(subscription);
                var received = await broker.ReceiveAsync(subscription, Batch, stop);
                MessagingMetrics.RecordPulled(subscription, received);
                if (received.Count == 0)
                {
                    await SubscriptionSignals.WaitAsync(pulse, SubscriptionSignals.Recheck, Time, stop);
                    continue;
                }

                foreach (var message in received)
                {
                    await StartAsync(subscription, workflow, message, stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogTriggerFailed(ex, workflow);
                if (!await PauseAsync(stop))
                {
                    break;
                }
            }
        }
    }

    private async Task StartAsync(string subscription, string workflow, ReceivedMessage message, CancellationToken stop)
    {
        var runId = RunIdFor(workflow, message.Id);
        if (await runs.GetAsync(runId, stop) is null)
        {
            if (await workflows.GetAsync(workflow, stop) is not { } record)
            {
                await broker.NackAsync(subscription, message.AckId, null, $"workflow '{workflow}' no longer exists", stop);
                return;
            }

            var trigger = new JsonObject { ["message"] = JsonSerializer.SerializeToNode(Triggering(message), BerthJson.Options) };
            var given = message.Body is JsonObject fields
                ? new JsonObject(fields.Where(f => record.Spec.Inputs.ContainsKey(f.Key)).Select(f => KeyValuePair.Create(f.Key, f.Value?.DeepClone())))
                : null;
            var (run, errors) = await commands.StartAsync(record.Spec, given, $"message:{message.Id}", stop, id: runId, trigger: trigger);
            if (run is null)
            {
                var reason = $"the message does not bind to workflow '{workflow}''s inputs: {string.Join("; ", errors)}";
                LogInputsInvalid(workflow, message.Id, reason);
                await broker.NackAsync(subscription, message.AckId, null, reason.Length > MessageLimits.MaxTextLength ? reason[..MessageLimits.MaxTextLength] : reason, stop);
                return;
            }

            LogRunStarted(workflow, run.Id, message.Id);
        }

        await broker.AckAsync(subscription, [message.AckId], stop);
    }

    // The message as a run sees it: no lease, no ack id (neither means anything once the run exists).
    private static StoredMessage Triggering(ReceivedMessage message) => new()
    {
        Id = message.Id,
        Topic = message.Topic,
        Key = message.Key,
        Attributes = message.Attributes,
        Body = message.Body?.DeepClone(),
        PublishedAt = message.PublishedAt,
        Publisher = message.Publisher,
        CorrelationId = message.CorrelationId,
        ReplyTo = message.ReplyTo,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} started run {RunId} of workflow {Workflow}")]
    private partial void LogRunStarted(string workflow, string runId, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} did not start workflow {Workflow}: {Reason}")]
    private partial void LogInputsInvalid(string workflow, string messageId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The message trigger of workflow {Workflow} failed; it tries again")]
    private partial void LogTriggerFailed(Exception exception, string workflow);
}
