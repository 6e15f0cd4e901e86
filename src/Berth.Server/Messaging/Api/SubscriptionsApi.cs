using Berth.Client.Contracts;
using Berth.Core.Messaging;
using Berth.Core.Storage;
using Berth.Server.Problems;
using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using System.Text.Json.Nodes;

namespace Berth.Server.Messaging.Api;

/// <summary>
/// The <c>/api/v1/subscriptions</c> routes: list, get, apply and remove subscriptions; consume one (receive with a long-poll,
/// stream, ack, nack); requeue its dead letters and purge it.
/// </summary>
internal static class SubscriptionsApi
{
    public static RouteGroupBuilder MapSubscriptionsApi(this RouteGroupBuilder api)
    {
        var subscriptions = api.MapGroup("/subscriptions").WithTags("Messaging");
        var reads = subscriptions.MapGroup("").RequireAuthorization(BerthPolicies.Viewer);
        var changes = subscriptions.MapGroup("").RequireAuthorization(BerthPolicies.Operator);
        var consume = subscriptions.MapGroup("/{name}").RequireAuthorization(BerthPolicies.MessageConsume);
        reads.MapGet("/", ListAsync).WithName("ListSubscriptions");
        reads.MapGet("/{name}", GetAsync).WithName("GetSubscription");
        changes.MapPut("/{name}", ApplyAsync).WithName("ApplySubscription")
            .Accepts<JsonObject>(SpecBody.MediaTypes[0], SpecBody.MediaTypes[1..])
            .WithDescription("Body: a kind: Subscription document; its topic must exist.");
        changes.MapDelete("/{name}", RemoveAsync).WithName("RemoveSubscription")
            .WithDescription("Removes the subscription and what it holds; answers how many messages went.");
        changes.MapPost("/{name}/requeue", RequeueAsync).WithName("RequeueDeadLetters").Accepts<RequeueRequest>("application/json");
        changes.MapPost("/{name}/purge", PurgeAsync).WithName("PurgeSubscription")
            .WithDescription("Drops what the subscription holds in ?state= (ready, leased or dead), or everything.");
        consume.MapGet("/messages", ReceiveAsync).WithName("ReceiveMessages")
            .WithDescription("Leases up to ?max= (1 to 1000, default 1) messages, waiting up to ?wait= (like 20s) for the first.");
        consume.MapGet("/stream", (string name, int? prefetch, MessagingTopology topology, IMessageBroker broker, SubscriptionSignals signals, StreamLeases leases, TimeProvider time, CancellationToken ct) =>
            Consumption.StreamAsync(name, prefetch, topology, broker, signals, leases, time, () => MessagingProblems.SubscriptionNotFound(name), ct)).WithName("StreamMessages")
            .WithDescription("Server-sent events, one per delivery (event: message); at most ?prefetch= (default 10) unacked at once.");
        consume.MapPost("/ack", (string name, HttpRequest request, IMessageBroker broker, StreamLeases streams, CancellationToken ct) =>
            Consumption.AckAsync(name, request, broker, streams, () => MessagingProblems.SubscriptionNotFound(name), ct)).WithName("AckMessages").Accepts<AckRequest>("application/json");
        consume.MapPost("/nack", (string name, HttpRequest request, IMessageBroker broker, StreamLeases streams, SubscriptionSignals signals, CancellationToken ct) =>
            Consumption.NackAsync(name, request, broker, streams, signals, () => MessagingProblems.SubscriptionNotFound(name), ct)).WithName("NackMessages").Accepts<NackRequest>("application/json");
        return api;
    }

    private static async Task<Ok<IReadOnlyList<SubscriptionView>>> ListAsync(bool? mailboxes, MessagingTopology topology, IMessageBroker broker, CancellationToken ct)
    {
        var current = await topology.RefreshAsync(ct);
        var views = new List<SubscriptionView>();
        foreach (var subscription in current.Subscriptions.Where(s => mailboxes == true || Mailboxes.AgentOf(s.Name) is null).OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            views.Add(await ViewAsync(subscription, broker, ct));
        }

        return TypedResults.Ok<IReadOnlyList<SubscriptionView>>(views);
    }

    private static async Task<Results<Ok<SubscriptionView>, ProblemHttpResult>> GetAsync(string name, MessagingTopology topology, IMessageBroker broker, CancellationToken ct) =>
        await topology.SubscriptionAsync(name, ct) is { } subscription
            ? TypedResults.Ok(await ViewAsync(subscription, broker, ct))
            : MessagingProblems.SubscriptionNotFound(name);

    private static async Task<Results<Created<ResourceApplyResponse>, Ok<ResourceApplyResponse>, ProblemHttpResult>> ApplyAsync(
        string name, HttpRequest request, MessagingCommands commands, CancellationToken ct)
    {
        var (spec, invalid) = await SpecBody.ReadAsync<SubscriptionSpec>(request, name, "Subscription", s => s.Name, null, ct);
        if (invalid is not null)
        {
            return invalid;
        }

        var (response, problem) = await commands.ApplySubscriptionAsync(spec!, ct);
        if (problem is not null)
        {
            return problem;
        }

        return response!.Outcome == ApplyOutcome.Created ? TypedResults.Created($"/api/v1/subscriptions/{name}", response) : TypedResults.Ok(response);
    }

    private static async Task<Results<Ok<CountResponse>, ProblemHttpResult>> RemoveAsync(string name, MessagingCommands commands, CancellationToken ct) =>
        await commands.RemoveSubscriptionAsync(name, ct) is { } dropped ? TypedResults.Ok(new CountResponse(dropped)) : MessagingProblems.SubscriptionNotFound(name);

    /// <summary>Requeues dead letters of <paramref name="name"/> (a subscription or a mailbox's <c>agent/NAME</c>).</summary>
    internal static async Task<Results<Ok<CountResponse>, ProblemHttpResult>> RequeueAsync(
        string name, RequeueRequest? body, MessagingTopology topology, IMessageBroker broker, SubscriptionSignals signals, CancellationToken ct)
    {
        if (await topology.SubscriptionAsync(name, ct) is null)
        {
            return MessagingProblems.SubscriptionNotFound(name);
        }

        if (body?.Ids is { } ids && (ids.Count > MessageLimits.MaxReceive || ids.Any(id => id.Length is 0 or > MessageLimits.MaxTextLength || id.Any(char.IsControl))))
        {
            return Problems.Problems.BadRequest($"ids must hold at most {MessageLimits.MaxReceive} message ids as 'berth messages ls' shows them; leave it out to requeue every dead letter.");
        }

        var count = await broker.RequeueAsync(name, body?.Ids, ct);
        signals.Pulse(name);
        return TypedResults.Ok(new CountResponse(count));
    }

    /// <summary>Drops what <paramref name="name"/> (a subscription or a mailbox's <c>agent/NAME</c>) holds in <paramref name="state"/>.</summary>
    internal static async Task<Results<Ok<CountResponse>, ProblemHttpResult>> PurgeAsync(
        string name, string? state, MessagingTopology topology, IMessageBroker broker, CancellationToken ct)
    {
        if (!Consumption.TryState(state, out var only))
        {
            return Problems.Problems.BadRequest("state must be ready, leased or dead; leave it out to purge everything.");
        }

        return await topology.SubscriptionAsync(name, ct) is null
            ? MessagingProblems.SubscriptionNotFound(name)
            : TypedResults.Ok(new CountResponse(await broker.PurgeAsync(name, only, ct)));
    }

    private static Task<Results<Ok<IReadOnlyList<ReceivedMessage>>, ProblemHttpResult>> ReceiveAsync(
        string name, int? max, string? wait, MessageReceiver receiver, IOptions<MessagingOptions> options, CancellationToken ct) =>
        Consumption.ReceiveAsync(name, max, wait, receiver, options, () => MessagingProblems.SubscriptionNotFound(name), ct);

    private static async Task<SubscriptionView> ViewAsync(SubscriptionSpec subscription, IMessageBroker broker, CancellationToken ct) => new()
    {
        Name = subscription.Name,
        Spec = subscription,
        Stats = await broker.StatsAsync(subscription.Name, ct),
        Mailbox = Mailboxes.AgentOf(subscription.Name) is not null,
    };
}
