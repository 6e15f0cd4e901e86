using System.ComponentModel;
using System.Text.Json.Nodes;
using Berth.Client.Contracts;
using Berth.Core.Messaging;
using Berth.Server.Messaging;
using Berth.Server.Security;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Berth.Server.Mcp.Tools;

/// <summary>
/// The messaging tools: <c>list_topics</c> (any caller: the topics, their settings and subscriptions, as <c>GET /api/v1/topics</c>
/// shows them) and <c>publish_message</c> (operators: a publish through the same publisher as <c>POST /api/v1/topics/{name}/messages</c>,
/// or mail to an agent's mailbox).
/// </summary>
[McpServerToolType]
internal sealed class MessagingTools(MessagingTopology topology, MessagePublisher publisher)
{
    [McpServerTool(Name = "list_topics", Title = "List topics", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Lists the message topics: each one's ordering, delivery limits and the subscriptions that receive its messages. Agents' mailboxes (agent/NAME) are listed when mailboxes is true.")]
    public async Task<TopicList> ListTopicsAsync(
        [Description("Also list every agent's mailbox (agent/NAME). Default false.")] bool mailboxes = false,
        CancellationToken cancellationToken = default)
    {
        var current = await topology.RefreshAsync(cancellationToken);
        return new([.. current.Topics
            .Where(t => mailboxes || Mailboxes.AgentOf(t.Name) is null)
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => new TopicView
            {
                Name = t.Name,
                Spec = t,
                Subscriptions = [.. current.SubscriptionsOf(t.Name).Select(s => s.Name)],
                Mailbox = Mailboxes.AgentOf(t.Name) is not null,
            })]);
    }

    [McpServerTool(Name = "publish_message", Title = "Publish a message", ReadOnly = false, Idempotent = false, Destructive = false, OpenWorld = true, UseStructuredContent = true)]
    [Description(
        "Publishes a JSON message to a topic (every subscription whose filter matches gets a copy, delivered at least once) or, with " +
        "topic agent/NAME, mails it to that agent's mailbox. Returns once the message is stored: its id, and duplicate: true when id " +
        "was already used within the topic's dedupe window (nothing new was stored). Needs the operator role.")]
    [ToolPolicy(BerthPolicies.Operator)]
    public async Task<PublishResponse> PublishMessageAsync(
        RequestContext<CallToolRequestParams> request,
        [Description("The topic's name, or agent/NAME for an agent's mailbox (see list_topics).")] string topic,
        [Description("The message body: any JSON value, at most 256 KiB.")] JsonNode? body = null,
        [Description("Ordering key: on a topic with ordering: key, one key's messages are delivered in order.")] string? key = null,
        [Description("Attributes (name to text value) that subscriptions filter on.")] Dictionary<string, string>? attributes = null,
        [Description("Your own id for the message: publishing the same id again within the dedupe window stores nothing.")] string? id = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(topic) || topic.Length > 200 || topic.Any(char.IsControl))
        {
            throw new ToolFailure("topic must name a topic (see list_topics) or a mailbox as agent/NAME");
        }

        var message = new OutgoingMessage
        {
            Body = body,
            Key = key,
            Attributes = attributes ?? [],
            DedupeId = id,
            Publisher = request.User?.Identity?.Name ?? "unknown",
        };
        var problems = MessageLimits.Check(message);
        if (problems.Count > 0)
        {
            throw new ToolFailure($"the message is invalid: {string.Join("; ", problems)}");
        }

        try
        {
            var result = await publisher.PublishAsync(topic, message, cancellationToken);
            return new PublishResponse(result.Id, topic, result.Duplicate);
        }
        catch (UnknownTopicException ex)
        {
            throw new ToolFailure(ex.Message);
        }
    }
}
