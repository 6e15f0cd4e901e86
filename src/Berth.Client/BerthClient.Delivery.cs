using System.Globalization;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Berth.Client.Contracts;
using Berth.Core.Messaging;
using Berth.Core.Specs;

namespace Berth.Client;

/// <summary>
/// Taking messages: long-poll receive, the SSE stream, ack and nack, for a subscription (<c>/api/v1/subscriptions/{name}</c>) or an
/// agent's mailbox (<c>/api/v1/mailboxes/{agent}</c>), and mail, requests and replies between agents.
/// </summary>
public sealed partial class BerthClient
{
    private const string MailboxesPath = "api/v1/mailboxes";
    private const string MessageEvent = "message";

    /// <summary>The most messages one receive leases: 1000.</summary>
    public const int MaxReceive = 1000;

    /// <summary>The longest a receive may wait for a message: 60s.</summary>
    public static readonly TimeSpan MaxReceiveWait = TimeSpan.FromSeconds(60);

    /// <summary>How much longer than the server is asked to hold a request (a receive's wait, a request's timeout) <see cref="Timeout"/> must be: 15s.</summary>
    public static readonly TimeSpan HoldMargin = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Leases up to <paramref name="max"/> (1 to 1000, default 1) ready messages of <paramref name="subscription"/>, waiting up to
    /// <paramref name="wait"/> (0 to 60s, default 0: answer at once) for the first. Empty when none came. Ack each with its
    /// <see cref="ReceivedMessage.AckId"/> before its lease ends. Throws <see cref="ArgumentOutOfRangeException"/> when
    /// <see cref="Timeout"/> is not <see cref="HoldMargin"/> longer than <paramref name="wait"/>.
    /// </summary>
    public Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string subscription, int max = 1, TimeSpan wait = default, CancellationToken cancellationToken = default) =>
        ReceiveFromAsync(SubscriptionPath(subscription), max, wait, cancellationToken);

    /// <summary>
    /// The subscription's messages as the server pushes them over server-sent events, each leased as a receive would lease it; ack
    /// them with <see cref="AckAsync"/>. The sequence ends only when cancelled or when the server closes the stream.
    /// </summary>
    public IAsyncEnumerable<ReceivedMessage> StreamAsync(string subscription, CancellationToken cancellationToken = default) =>
        StreamFromAsync(SubscriptionPath(subscription), cancellationToken);

    /// <summary>
    /// Acks deliveries of <paramref name="subscription"/> (at most 1000 ack ids): they are done. <see cref="SettleResponse.NotHeld"/>
    /// lists ack ids whose lease had expired or that were settled already; those messages are delivered again.
    /// </summary>
    public Task<SettleResponse> AckAsync(string subscription, IReadOnlyList<string> ackIds, CancellationToken cancellationToken) =>
        AckAtAsync(SubscriptionPath(subscription), ackIds, cancellationToken);

    /// <summary>Gives deliveries of <paramref name="subscription"/> back, to be delivered again after the request's delay (or the subscription's backoff).</summary>
    public Task<SettleResponse> NackAsync(string subscription, NackRequest request, CancellationToken cancellationToken) =>
        NackAtAsync(SubscriptionPath(subscription), request, cancellationToken);

    /// <summary>Sends <paramref name="message"/> to <paramref name="agent"/>'s mailbox (<c>agent/NAME</c>); an unknown agent is a 404.</summary>
    public Task<PublishResponse> SendMailAsync(string agent, PublishRequest message, CancellationToken cancellationToken) =>
        PostMessageAsync($"{MailboxPath(agent)}/messages", message, cancellationToken);

    /// <summary>Like <see cref="ReceiveAsync"/>, from <paramref name="agent"/>'s mailbox (the agent's own token, or an operator's).</summary>
    public Task<IReadOnlyList<ReceivedMessage>> ReceiveMailAsync(string agent, int max = 1, TimeSpan wait = default, CancellationToken cancellationToken = default) =>
        ReceiveFromAsync(MailboxPath(agent), max, wait, cancellationToken);

    /// <summary>Like <see cref="StreamAsync"/>, from <paramref name="agent"/>'s mailbox.</summary>
    public IAsyncEnumerable<ReceivedMessage> StreamMailAsync(string agent, CancellationToken cancellationToken = default) =>
        StreamFromAsync(MailboxPath(agent), cancellationToken);

    /// <summary>Like <see cref="AckAsync"/>, for deliveries from <paramref name="agent"/>'s mailbox.</summary>
    public Task<SettleResponse> AckMailAsync(string agent, IReadOnlyList<string> ackIds, CancellationToken cancellationToken) =>
        AckAtAsync(MailboxPath(agent), ackIds, cancellationToken);

    /// <summary>Like <see cref="NackAsync"/>, for deliveries from <paramref name="agent"/>'s mailbox.</summary>
    public Task<SettleResponse> NackMailAsync(string agent, NackRequest request, CancellationToken cancellationToken) =>
        NackAtAsync(MailboxPath(agent), request, cancellationToken);

    /// <summary>
    /// Sends <paramref name="message"/> to <paramref name="agent"/>'s mailbox as a request and waits up to <paramref name="timeout"/>
    /// for the reply. <see cref="ReplyResponse.Reply"/> is null when none came in time (the server's <c>202</c>). Throws
    /// <see cref="ArgumentOutOfRangeException"/> when <see cref="Timeout"/> is not <see cref="HoldMargin"/> longer than <paramref name="timeout"/>.
    /// </summary>
    public Task<ReplyResponse> RequestAsync(string agent, PublishRequest message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        EnsureTimeoutCovers(timeout, nameof(timeout));
        return SendAsync<ReplyResponse>(
            HttpMethod.Post,
            $"{MailboxPath(agent)}/requests?timeout={Duration.Format(timeout)}",
            JsonContent.Create(message, BerthClientJson.TypeInfo<PublishRequest>()),
            cancellationToken);
    }

    /// <summary>Replies to the request <paramref name="requestId"/> that reached <paramref name="agent"/>'s mailbox: the reply goes where the request asked.</summary>
    public Task<PublishResponse> ReplyAsync(string agent, string requestId, PublishRequest message, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(requestId);
        return PostMessageAsync($"{MailboxPath(agent)}/messages/{Escape(requestId)}/reply", message, cancellationToken);
    }

    private async Task<IReadOnlyList<ReceivedMessage>> ReceiveFromAsync(string path, int max, TimeSpan wait, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(max, MaxReceive);
        ArgumentOutOfRangeException.ThrowIfLessThan(wait, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(wait, MaxReceiveWait);
        EnsureTimeoutCovers(wait, nameof(wait));
        var query = $"?max={max.ToString(CultureInfo.InvariantCulture)}&wait={Duration.Format(wait)}";
        return await SendAsync<List<ReceivedMessage>>(HttpMethod.Get, $"{path}/messages{query}", null, cancellationToken);
    }

    private async IAsyncEnumerable<ReceivedMessage> StreamFromAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{path}/stream");
        request.Headers.Accept.ParseAdd("text/event-stream");
        // Timeout bounds the wait for the answer's headers only: the events are read for as long as the stream stays open.
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var parser = SseParser.Create(stream, (eventType, data) => eventType == MessageEvent
            ? JsonSerializer.Deserialize(data, BerthClientJson.TypeInfo<ReceivedMessage>()) ?? throw new JsonException($"The server sent an empty message event on {path}.")
            : null);
        await using var events = parser.EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (await MoveNextAsync(events, cancellationToken))
        {
            // Other event types (a keep-alive, say) carry no message.
            if (events.Current.Data is { } message)
            {
                yield return message;
            }
        }
    }

    private Task<SettleResponse> AckAtAsync(string path, IReadOnlyList<string> ackIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ackIds);
        var body = JsonContent.Create(new AckRequest { AckIds = ackIds }, BerthClientJson.TypeInfo<AckRequest>());
        return SendAsync<SettleResponse>(HttpMethod.Post, $"{path}/ack", body, cancellationToken);
    }

    private Task<SettleResponse> NackAtAsync(string path, NackRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<SettleResponse>(HttpMethod.Post, $"{path}/nack", JsonContent.Create(request, BerthClientJson.TypeInfo<NackRequest>()), cancellationToken);
    }

    /// <summary>The server holds a long-poll or a request for up to <paramref name="hold"/>; the HTTP timeout must outlast it, or every empty wait fails.</summary>
    private void EnsureTimeoutCovers(TimeSpan hold, string parameter)
    {
        var timeout = _http.Timeout;
        if (timeout != System.Threading.Timeout.InfiniteTimeSpan && timeout < hold + HoldMargin)
        {
            throw new ArgumentOutOfRangeException(
                parameter,
                hold,
                $"The server may hold this call for {Duration.Format(hold)}, but the client gives up after {Duration.Format(timeout)}; set Timeout to at least {Duration.Format(hold + HoldMargin)} before the first call.");
        }
    }

    private static async Task<bool> MoveNextAsync(IAsyncEnumerator<SseItem<ReceivedMessage?>> events, CancellationToken cancellationToken)
    {
        try
        {
            return await events.MoveNextAsync();
        }
        catch (IOException exception) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelling a pending read tears the connection down, which can surface as "response ended".
            throw new OperationCanceledException("Reading the message stream was cancelled.", exception, cancellationToken);
        }
    }

    private static string MailboxPath(string agent)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agent);
        return $"{MailboxesPath}/{Escape(agent)}";
    }
}
