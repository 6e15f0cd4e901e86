using System.Security.Claims;
using Berth.Client.Contracts;
using Berth.Core.Messaging;
using Berth.Core.Security;
using Berth.Core.Specs;
using Berth.Server.Messaging.Replies;
using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Berth.Server.Messaging.Api;

/// <summary>
/// The <c>/api/v1/mailboxes/{agent}</c> routes: every agent's point-to-point mailbox (<c>agent/NAME</c>). Sending and requests
/// need <see cref="BerthPolicies.MailboxSend"/>; reading, settling and replying need <see cref="BerthPolicies.MailboxConsume"/>
/// (the agent itself, or an operator); requeueing its dead letters and purging it need an operator.
/// </summary>
internal static class MailboxesApi
{
    public static RouteGroupBuilder MapMailboxesApi(this RouteGroupBuilder api)
    {
        var mailbox = api.MapGroup("/mailboxes/{agent}").WithTags("Messaging");
        var send = mailbox.MapGroup("").RequireAuthorization(BerthPolicies.MailboxSend);
        var read = mailbox.MapGroup("").RequireAuthorization(BerthPolicies.MailboxConsume);
        send.MapPost("/messages", SendAsync).WithName("SendMail").Accepts<PublishRequest>("application/json");
        send.MapPost("/requests", RequestAsync).WithName("SendRequest").Accepts<PublishRequest>("application/json")
            .WithDescription("Sends a request and waits up to ?timeout= (default 30s) for its reply: 200 with the reply, or 202 without one (an agent caller still gets it in its own mailbox).");
        read.MapGet("/messages", ReceiveAsync).WithName("ReceiveMail");
        read.MapGet("/stream", (string agent, int? prefetch, MessagingTopology topology, IMessageBroker broker, SubscriptionSignals signals, StreamLeases leases, TimeProvider time, CancellationToken ct) =>
            Consumption.StreamAsync(Mailboxes.Of(agent), prefetch, topology, broker, signals, leases, time, () => Problems.Problems.AgentNotFound(agent), ct)).WithName("StreamMail");
        read.MapPost("/ack", (string agent, HttpRequest request, IMessageBroker broker, StreamLeases streams, CancellationToken ct) =>
            Consumption.AckAsync(Mailboxes.Of(agent), request, broker, streams, () => Problems.Problems.AgentNotFound(agent), ct)).WithName("AckMail").Accepts<AckRequest>("application/json");
        read.MapPost("/nack", (string agent, HttpRequest request, IMessageBroker broker, StreamLeases streams, SubscriptionSignals signals, CancellationToken ct) =>
            Consumption.NackAsync(Mailboxes.Of(agent), request, broker, streams, signals, () => Problems.Problems.AgentNotFound(agent), ct)).WithName("NackMail").Accepts<NackRequest>("application/json");
        read.MapPost("/messages/{id}/reply", ReplyAsync).WithName("ReplyToRequest").Accepts<PublishRequest>("application/json");
        var manage = mailbox.MapGroup("").RequireAuthorization(BerthPolicies.Operator);
        manage.MapPost("/requeue", (string agent, RequeueRequest? body, MessagingTopology topology, IMessageBroker broker, SubscriptionSignals signals, CancellationToken ct) =>
            SubscriptionsApi.RequeueAsync(Mailboxes.Of(agent), body, topology, broker, signals, ct)).WithName("RequeueMail").Accepts<RequeueRequest>("application/json");
        manage.MapPost("/purge", (string agent, string? state, MessagingTopology topology, IMessageBroker broker, CancellationToken ct) =>
            SubscriptionsApi.PurgeAsync(Mailboxes.Of(agent), state, topology, broker, ct)).WithName("PurgeMail");
        return api;
    }

    private static async Task<Results<Created<PublishResponse>, Ok<PublishResponse>, ProblemHttpResult>> SendAsync(
        string agent, HttpRequest request, ClaimsPrincipal user, MessagePublisher publisher, CancellationToken ct)
    {
        if (!SpecNames.IsDnsLabel(agent))
        {
            return Problems.Problems.AgentNotFound(agent);
        }

        var (message, problem) = await PublishBody.ReadAsync(request, user, ct);
        if (problem is not null)
        {
            return problem;
        }

        try
        {
            var result = await publisher.PublishAsync(Mailboxes.Of(agent), message!, ct);
            var response = new PublishResponse(result.Id, Mailboxes.Of(agent), result.Duplicate);
            return result.Duplicate ? TypedResults.Ok(response) : TypedResults.Created($"/api/v1/messages/{result.Id}", response);
        }
        catch (UnknownTopicException)
        {
            return Problems.Problems.AgentNotFound(agent);
        }
    }

    private static async Task<Results<Ok<ReplyResponse>, Accepted<ReplyResponse>, ProblemHttpResult>> RequestAsync(
        string agent, string? timeout, HttpRequest request, ClaimsPrincipal user, MessagePublisher publisher, ReplyWaiters replies,
        IOptions<MessagingOptions> options, TimeProvider time, CancellationToken ct)
    {
        var wait = TimeSpan.FromSeconds(30);
        if (!string.IsNullOrEmpty(timeout) && (!Duration.TryParse(timeout, out wait) || wait <= TimeSpan.Zero || wait > options.Value.MaxReplyWait))
        {
            return Problems.Problems.BadRequest($"timeout must be a duration from 1s to {Duration.Format(options.Value.MaxReplyWait)}, like 30s.");
        }

        if (!SpecNames.IsDnsLabel(agent))
        {
            return Problems.Problems.AgentNotFound(agent);
        }

        // An agent caller's reply also goes to its own mailbox, so it survives this wait ending (or this server stopping).
        var correlation = Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
        var replyTo = user.IsInRole(BerthRoles.Agent) && user.FindFirstValue(BerthClaims.Agent) is { Length: > 0 } caller ? Mailboxes.Of(caller) : null;
        var (message, problem) = await PublishBody.ReadAsync(request, user, ct, correlation, replyTo);
        if (problem is not null)
        {
            return problem;
        }

        using var waiter = replies.Register(correlation);
        PublishResult sent;
        try
        {
            sent = await publisher.PublishAsync(Mailboxes.Of(agent), message!, ct);
        }
        catch (UnknownTopicException)
        {
            return Problems.Problems.AgentNotFound(agent);
        }

        try
        {
            var reply = await waiter.Reply.WaitAsync(wait, time, ct);
            return TypedResults.Ok(new ReplyResponse { RequestId = sent.Id, CorrelationId = correlation, Reply = reply });
        }
        catch (TimeoutException)
        {
            return TypedResults.Accepted($"/api/v1/messages/{sent.Id}", new ReplyResponse { RequestId = sent.Id, CorrelationId = correlation });
        }
    }

    private static async Task<Results<Created<PublishResponse>, ProblemHttpResult>> ReplyAsync(
        string agent, string id, HttpRequest request, ClaimsPrincipal user, IMessageBroker broker, MessagePublisher publisher, ReplyWaiters replies,
        TimeProvider time, CancellationToken ct)
    {
        if (id.Length > MessageLimits.MaxTextLength || id.Any(char.IsControl)
            || await broker.GetAsync(id, ct) is not { } asked || asked.Topic != Mailboxes.Of(agent))
        {
            return MessagingProblems.MessageNotFound(id.Length > 64 ? id[..64] : id);
        }

        if (asked.CorrelationId is not { } correlation)
        {
            return Problems.Problems.BadRequest($"Message '{id}' is not a request (it has no correlation id); send mail with POST /api/v1/mailboxes/{{agent}}/messages instead.");
        }

        var (reply, problem) = await PublishBody.ReadAsync(request, user, ct, correlation);
        if (problem is not null)
        {
            return problem;
        }

        // A requester without a mailbox (a user) waits over HTTP only: the reply is handed to it and stored nowhere.
        var (replyId, topic) = (Guid.CreateVersion7(time.GetUtcNow()).ToString("N"), "");
        if (asked.ReplyTo is { } mailbox)
        {
            try
            {
                var result = await publisher.PublishAsync(mailbox, reply!, ct);
                (replyId, topic) = (result.Id, mailbox);
            }
            catch (UnknownTopicException)
            {
                // The requester is gone; a request still waiting here gets the reply all the same.
            }
        }

        replies.Complete(correlation, new StoredMessage
        {
            Id = replyId,
            Topic = topic,
            Key = reply!.Key,
            Attributes = reply.Attributes,
            Body = reply.Body,
            PublishedAt = time.GetUtcNow(),
            Publisher = reply.Publisher,
            CorrelationId = correlation,
        });
        return TypedResults.Created($"/api/v1/messages/{replyId}", new PublishResponse(replyId, topic, Duplicate: false));
    }

    private static async Task<Results<Ok<IReadOnlyList<ReceivedMessage>>, ProblemHttpResult>> ReceiveAsync(
        string agent, int? max, string? wait, MessageReceiver receiver, IOptions<MessagingOptions> options, CancellationToken ct) =>
        await Consumption.ReceiveAsync(Mailboxes.Of(agent), max, wait, receiver, options, () => Problems.Problems.AgentNotFound(agent), ct);
}
