using Berth.Client.Contracts;
using Berth.Core.Messaging;
using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Messaging.Api;

/// <summary>
/// The <c>/api/v1/messages</c> routes: held messages across subscriptions (never bodies; viewers may list), and one message
/// with its body (operators: a body may hold what a viewer should not read).
/// </summary>
internal static class MessagesApi
{
    public const int MaxLimit = 1000;

    public static RouteGroupBuilder MapMessagesApi(this RouteGroupBuilder api)
    {
        var messages = api.MapGroup("/messages").WithTags("Messaging");
        messages.MapGet("/", ListAsync).WithName("ListMessages").RequireAuthorization(BerthPolicies.Viewer)
            .WithDescription("Held messages, oldest first, by ?subscription=, ?topic=, ?state= (ready, leased, dead) and ?limit= (1 to 1000, default 100).");
        messages.MapGet("/{id}", GetAsync).WithName("GetMessage").RequireAuthorization(BerthPolicies.Operator);
        return api;
    }

    private static async Task<Results<Ok<IReadOnlyList<MessageEntry>>, ProblemHttpResult>> ListAsync(
        string? subscription, string? topic, string? state, int? limit, IMessageBroker broker, CancellationToken ct)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return Problems.Problems.BadRequest($"limit must be from 1 to {MaxLimit}.");
        }

        if (!Consumption.TryState(state, out var only))
        {
            return Problems.Problems.BadRequest("state must be ready, leased or dead.");
        }

        if (Printable(subscription) is false || Printable(topic) is false)
        {
            return Problems.Problems.BadRequest("subscription and topic must be names as 'berth subscriptions ls' and 'berth topics ls' show them.");
        }

        var query = new MessageQuery { Subscription = subscription, Topic = topic, State = only, Limit = limit ?? 100 };
        return TypedResults.Ok(await broker.ListAsync(query, ct));
    }

    private static async Task<Results<Ok<MessageDetail>, ProblemHttpResult>> GetAsync(string id, IMessageBroker broker, CancellationToken ct)
    {
        if (Printable(id) is false || await broker.GetAsync(id, ct) is not { } message)
        {
            return MessagingProblems.MessageNotFound(id.Length > 64 ? id[..64] : id);
        }

        var deliveries = await broker.ListAsync(new MessageQuery { Id = id, Limit = MaxLimit }, ct);
        return TypedResults.Ok(new MessageDetail { Message = message, Deliveries = deliveries });
    }

    private static bool? Printable(string? text) => text is null ? null : text.Length is > 0 and <= 200 && !text.Any(char.IsControl);
}
