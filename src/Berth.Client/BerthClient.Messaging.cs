using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Client.Contracts;
using Berth.Core.Messaging;
using Berth.Core.Specs;

namespace Berth.Client;

/// <summary>
/// The <c>/api/v1/topics</c>, <c>/api/v1/subscriptions</c> and <c>/api/v1/messages</c> routes: topics and subscriptions, publishing,
/// and looking at, requeueing and purging the messages subscriptions hold. Receiving is in <c>BerthClient.Delivery.cs</c>.
/// </summary>
public sealed partial class BerthClient
{
    private const string TopicsPath = "api/v1/topics";
    private const string SubscriptionsPath = "api/v1/subscriptions";
    private const string MessagesPath = "api/v1/messages";

    /// <summary>Every applied topic with the names of its subscriptions; agents' mailboxes (<c>agent/NAME</c>) too when <paramref name="includeMailboxes"/>.</summary>
    public async Task<IReadOnlyList<TopicView>> ListTopicsAsync(bool includeMailboxes = false, CancellationToken cancellationToken = default) =>
        await SendAsync<List<TopicView>>(HttpMethod.Get, includeMailboxes ? $"{TopicsPath}?mailboxes=true" : TopicsPath, null, cancellationToken);

    /// <summary>One topic; a 404 <see cref="Errors.BerthApiException"/> when it is unknown.</summary>
    public Task<TopicView> GetTopicAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<TopicView>(HttpMethod.Get, TopicPath(name), null, cancellationToken);

    /// <summary>
    /// Creates the topic or updates it to match <paramref name="spec"/> (sent as its <c>kind: Topic</c> document, so fields left at
    /// their defaults are set to the defaults); the answer says whether it was created, updated or unchanged. An invalid spec is a
    /// 400 listing every error.
    /// </summary>
    public Task<ResourceApplyResponse> ApplyTopicAsync(TopicSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return SendAsync<ResourceApplyResponse>(HttpMethod.Put, TopicPath(spec.Name), JsonContent.Create(SpecDocuments.ToDocument(spec), BerthClientJson.TypeInfo<JsonObject>()), cancellationToken);
    }

    /// <summary>Deletes the topic and its subscriptions with every message they hold; returns how many subscriptions went with it. A 404 when it is unknown.</summary>
    public async Task<int> DeleteTopicAsync(string name, CancellationToken cancellationToken) =>
        (await SendAsync<CountResponse>(HttpMethod.Delete, TopicPath(name), null, cancellationToken)).Count;

    /// <summary>
    /// Publishes <paramref name="message"/> to <paramref name="topic"/> and returns once it is stored. A <see cref="PublishRequest.Id"/>
    /// seen within the topic's dedupe window stores nothing (<see cref="PublishResponse.Duplicate"/>). An unknown topic is a 404;
    /// a message that breaks the bounds (256 KiB body, 32 attributes, 256-character values) a 400.
    /// </summary>
    public Task<PublishResponse> PublishAsync(string topic, PublishRequest message, CancellationToken cancellationToken) =>
        PostMessageAsync($"{TopicPath(topic)}/messages", message, cancellationToken);

    /// <summary>Every applied subscription with what it holds; agents' mailboxes too when <paramref name="includeMailboxes"/>.</summary>
    public async Task<IReadOnlyList<SubscriptionView>> ListSubscriptionsAsync(bool includeMailboxes = false, CancellationToken cancellationToken = default) =>
        await SendAsync<List<SubscriptionView>>(HttpMethod.Get, includeMailboxes ? $"{SubscriptionsPath}?mailboxes=true" : SubscriptionsPath, null, cancellationToken);

    /// <summary>One subscription with what it holds; a 404 <see cref="Errors.BerthApiException"/> when it is unknown.</summary>
    public Task<SubscriptionView> GetSubscriptionAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<SubscriptionView>(HttpMethod.Get, SubscriptionPath(name), null, cancellationToken);

    /// <summary>
    /// Creates the subscription or updates it to match <paramref name="spec"/>; a new subscription receives what is published from
    /// then on. An invalid spec is a 400 listing every error; an unknown topic a 404.
    /// </summary>
    public Task<ResourceApplyResponse> ApplySubscriptionAsync(SubscriptionSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return SendAsync<ResourceApplyResponse>(
            HttpMethod.Put, SubscriptionPath(spec.Name), JsonContent.Create(SpecDocuments.ToDocument(spec), BerthClientJson.TypeInfo<JsonObject>()), cancellationToken);
    }

    /// <summary>Deletes the subscription and every message it holds; returns how many messages were dropped. A 404 when it is unknown.</summary>
    public async Task<int> DeleteSubscriptionAsync(string name, CancellationToken cancellationToken) =>
        (await SendAsync<CountResponse>(HttpMethod.Delete, SubscriptionPath(name), null, cancellationToken)).Count;

    /// <summary>
    /// Makes dead letters of <paramref name="subscription"/> ready again with their deliveries reset: those in <paramref name="ids"/>,
    /// or every one when it is null. Returns how many were requeued.
    /// </summary>
    public async Task<int> RequeueMessagesAsync(string subscription, IReadOnlyList<string>? ids, CancellationToken cancellationToken)
    {
        var body = JsonContent.Create(new RequeueRequest { Ids = ids }, BerthClientJson.TypeInfo<RequeueRequest>());
        return (await SendAsync<CountResponse>(HttpMethod.Post, $"{HolderPath(subscription)}/requeue", body, cancellationToken)).Count;
    }

    /// <summary>Drops what <paramref name="subscription"/> holds in <paramref name="state"/> (every state when null); returns how many messages went.</summary>
    public async Task<int> PurgeMessagesAsync(string subscription, DeliveryState? state, CancellationToken cancellationToken)
    {
        var query = state is { } wanted ? $"?state={DeliveryStateName(wanted)}" : "";
        return (await SendAsync<CountResponse>(HttpMethod.Post, $"{HolderPath(subscription)}/purge{query}", null, cancellationToken)).Count;
    }

    /// <summary>
    /// Held messages, oldest first, without their bodies: one entry per subscription that holds each. <paramref name="subscription"/>,
    /// <paramref name="topic"/> and <paramref name="state"/> filter exactly; <paramref name="limit"/> is 1 to 1000 (null: the server's default, 100).
    /// </summary>
    public async Task<IReadOnlyList<MessageEntry>> ListMessagesAsync(
        string? subscription = null, string? topic = null, DeliveryState? state = null, int? limit = null, CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        if (!string.IsNullOrWhiteSpace(subscription))
        {
            query.Add($"subscription={Escape(subscription)}");
        }

        if (!string.IsNullOrWhiteSpace(topic))
        {
            query.Add($"topic={Escape(topic)}");
        }

        if (state is { } wanted)
        {
            query.Add($"state={DeliveryStateName(wanted)}");
        }

        if (limit is { } count)
        {
            query.Add($"limit={count.ToString(CultureInfo.InvariantCulture)}");
        }

        var path = query.Count == 0 ? MessagesPath : $"{MessagesPath}?{string.Join('&', query)}";
        return await SendAsync<List<MessageEntry>>(HttpMethod.Get, path, null, cancellationToken);
    }

    /// <summary>One message with its body and where it stands with each subscription that holds it; a 404 when it is gone.</summary>
    public Task<MessageDetail> GetMessageAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return SendAsync<MessageDetail>(HttpMethod.Get, $"{MessagesPath}/{Escape(id)}", null, cancellationToken);
    }

    private Task<PublishResponse> PostMessageAsync(string path, PublishRequest message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return SendAsync<PublishResponse>(HttpMethod.Post, path, JsonContent.Create(message, BerthClientJson.TypeInfo<PublishRequest>()), cancellationToken);
    }

    private static string TopicPath(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return $"{TopicsPath}/{Escape(name)}";
    }

    private static string SubscriptionPath(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return $"{SubscriptionsPath}/{Escape(name)}";
    }

    // The client does not reference Berth.Core, where Mailboxes.Prefix lives; the wire name is the same.
    private const string MailboxPrefix = "agent/";

    // A mailbox (agent/NAME) is held under /mailboxes/NAME: its name is no path segment of /subscriptions.
    private static string HolderPath(string subscription) =>
        subscription.StartsWith(MailboxPrefix, StringComparison.Ordinal) && subscription.Length > MailboxPrefix.Length
            ? MailboxPath(subscription[MailboxPrefix.Length..])
            : SubscriptionPath(subscription);

    private static string DeliveryStateName(DeliveryState state) => JsonSerializer.Serialize(state, BerthClientJson.TypeInfo<DeliveryState>()).Trim('"');
}
