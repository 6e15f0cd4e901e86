using System.Text.Json;
using Berth.Client.Contracts;
using Berth.Core.Messaging;
using Berth.Core.Serialization;
using Berth.Core.Specs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Berth.Server.Messaging.Api;

/// <summary>Receive, stream, ack and nack of one subscription: the same for a subscription route and a mailbox route.</summary>
internal static class Consumption
{
    private const int MaxSettleBody = 256 * 1024;

    public static async Task<Results<Ok<IReadOnlyList<ReceivedMessage>>, ProblemHttpResult>> ReceiveAsync(
        string subscription, int? max, string? wait, MessageReceiver receiver, IOptions<MessagingOptions> options, Func<ProblemHttpResult> notFound, CancellationToken ct)
    {
        var (count, waitFor, problem) = Limits(max, wait, options.Value);
        if (problem is not null)
        {
            return problem;
        }

        try
        {
            return TypedResults.Ok(await receiver.ReceiveAsync(subscription, count, waitFor, ct));
        }
        catch (UnknownSubscriptionException)
        {
            return notFound();
        }
    }

    public static async Task<IResult> StreamAsync(
        string subscription, int? prefetch, MessagingTopology topology, IMessageBroker broker, SubscriptionSignals signals, StreamLeases leases, TimeProvider time,
        Func<ProblemHttpResult> notFound, CancellationToken ct)
    {
        if (prefetch is < 1 or > MessageStream.MaxPrefetch)
        {
            return Problems.Problems.BadRequest($"prefetch must be from 1 to {MessageStream.MaxPrefetch}.");
        }

        return await topology.SubscriptionAsync(subscription, ct) is null
            ? notFound()
            : new MessageStream(subscription, prefetch ?? 10, broker, signals, leases, time);
    }

    public static async Task<Results<Ok<SettleResponse>, ProblemHttpResult>> AckAsync(
        string subscription, HttpRequest request, IMessageBroker broker, StreamLeases streams, Func<ProblemHttpResult> notFound, CancellationToken ct)
    {
        var (body, problem) = await ReadAsync<AckRequest>(request, ct);
        if (problem is not null)
        {
            return problem;
        }

        if (CheckIds(body!.AckIds) is { } invalid)
        {
            return invalid;
        }

        try
        {
            var acked = await broker.AckAsync(subscription, body.AckIds, ct);
            streams.Settle(acked);
            return TypedResults.Ok(new SettleResponse(acked, [.. body.AckIds.Except(acked, StringComparer.Ordinal)]));
        }
        catch (UnknownSubscriptionException)
        {
            return notFound();
        }
    }

    public static async Task<Results<Ok<SettleResponse>, ProblemHttpResult>> NackAsync(
        string subscription, HttpRequest request, IMessageBroker broker, StreamLeases streams, SubscriptionSignals signals, Func<ProblemHttpResult> notFound, CancellationToken ct)
    {
        var (body, problem) = await ReadAsync<NackRequest>(request, ct);
        if (problem is not null)
        {
            return problem;
        }

        if (CheckIds(body!.AckIds) is { } invalid)
        {
            return invalid;
        }

        if (body.Delay is { } delay && (delay < TimeSpan.Zero || delay > SubscriptionSpecValidator.MaxRedeliveryDelay))
        {
            return Problems.Problems.BadRequest($"delay must be from 0s to {Duration.Format(SubscriptionSpecValidator.MaxRedeliveryDelay)}; leave it out for the subscription's backoff.");
        }

        if (body.Reason is { } reason && (reason.Length > MessageLimits.MaxTextLength || reason.Any(char.IsControl)))
        {
            return Problems.Problems.BadRequest($"reason must be at most {MessageLimits.MaxTextLength} characters on one line.");
        }

        try
        {
            var settled = new List<string>();
            foreach (var ackId in body.AckIds)
            {
                if (await broker.NackAsync(subscription, ackId, body.Delay, body.Reason, ct))
                {
                    settled.Add(ackId);
                }
            }

            streams.Settle(settled);
            signals.Pulse(subscription);
            return TypedResults.Ok(new SettleResponse(settled, [.. body.AckIds.Except(settled, StringComparer.Ordinal)]));
        }
        catch (UnknownSubscriptionException)
        {
            return notFound();
        }
    }

    /// <summary>The receive limits from the query, or the problem with them.</summary>
    public static (int Max, TimeSpan Wait, ProblemHttpResult? Problem) Limits(int? max, string? wait, MessagingOptions options)
    {
        var count = max ?? 1;
        if (count is < 1 or > MessageLimits.MaxReceive)
        {
            return (0, default, Problems.Problems.BadRequest($"max must be from 1 to {MessageLimits.MaxReceive}; got {count}."));
        }

        var waitFor = TimeSpan.Zero;
        if (!string.IsNullOrEmpty(wait) && (!Duration.TryParse(wait, out waitFor) || waitFor < TimeSpan.Zero || waitFor > options.MaxWait))
        {
            return (0, default, Problems.Problems.BadRequest($"wait must be a duration from 0s to {Duration.Format(options.MaxWait)}, like 20s."));
        }

        return (count, waitFor, null);
    }

    /// <summary>A <c>?state=</c> filter: null for none; false for anything but ready, leased or dead (names only, any case).</summary>
    public static bool TryState(string? text, out DeliveryState? state)
    {
        state = text?.ToLowerInvariant() switch
        {
            "ready" => DeliveryState.Ready,
            "leased" => DeliveryState.Leased,
            "dead" => DeliveryState.Dead,
            _ => null,
        };
        return state is not null || string.IsNullOrEmpty(text);
    }

    private static ProblemHttpResult? CheckIds(IReadOnlyList<string> ackIds)
    {
        if (ackIds.Count is 0 or > MessageLimits.MaxReceive)
        {
            return Problems.Problems.BadRequest($"ackIds must hold 1 to {MessageLimits.MaxReceive} ack ids, as deliveries carried them.");
        }

        return ackIds.Any(id => id.Length is 0 or > MessageLimits.MaxTextLength || id.Any(char.IsControl))
            ? Problems.Problems.BadRequest("ackIds must be the ack ids deliveries carried (short, printable).")
            : null;
    }

    private static async Task<(T? Body, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken ct)
        where T : class
    {
        if (await Berth.Server.Limits.BoundedBody.ReadAsync(request, MaxSettleBody, ct) is not { } bytes)
        {
            return (null, Problems.Problems.PayloadTooLarge(request.HttpContext, MaxSettleBody, "an ack or nack may carry", "Settle fewer deliveries at once."));
        }

        try
        {
            return bytes.Length > 0 && JsonSerializer.Deserialize<T>(bytes, BerthJson.Options) is { } body
                ? (body, null)
                : (null, Problems.Problems.BadRequest("The body must be JSON like {\"ackIds\": [\"…\"]}."));
        }
        catch (JsonException ex)
        {
            return (null, Problems.Problems.InvalidJson(ex, "body"));
        }
    }
}
