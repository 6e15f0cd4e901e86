using System.Text.Json;
using Berth.Core.Messaging;
using Berth.Core.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Berth.Server.Messaging.Api;

/// <summary>
/// A subscription's deliveries as server-sent events (<c>event: message</c>, <c>id</c> = the message id, <c>data</c> = the
/// <see cref="ReceivedMessage"/> as JSON), for as long as the client stays. Each is leased like a pulled one and acked on the
/// ack route; at most <c>prefetch</c> are outstanding at once, so a slow client is not handed more than it can take before
/// their leases run out. A comment line keeps an idle connection open. Written by hand for the same reasons as the run event stream.
/// </summary>
internal sealed class MessageStream(string subscription, int prefetch, IMessageBroker broker, SubscriptionSignals signals, StreamLeases leases, TimeProvider time) : IResult
{
    /// <summary>The most deliveries a stream may hold unsettled: 100.</summary>
    public const int MaxPrefetch = 100;

    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var ct = httpContext.RequestAborted;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.Body.FlushAsync(ct);
        using var window = leases.Open(prefetch);
        var idleSince = time.GetUtcNow();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var free = window.Free;
                var pulse = signals.Next(subscription);
                var received = free > 0 ? await broker.ReceiveAsync(subscription, free, ct) : [];
                MessagingMetrics.RecordPulled(subscription, received);
                foreach (var message in received)
                {
                    window.Track(message.AckId, message.LeaseExpiresAt);
                    await response.WriteAsync($"event: message\nid: {message.Id}\ndata: {JsonSerializer.Serialize(message, BerthJson.Options)}\n\n", ct);
                }

                if (received.Count > 0)
                {
                    await response.Body.FlushAsync(ct);
                    idleSince = time.GetUtcNow();
                    continue;
                }

                if (time.GetUtcNow() - idleSince >= KeepAlive)
                {
                    await response.WriteAsync(": keep-alive\n\n", ct);
                    await response.Body.FlushAsync(ct);
                    idleSince = time.GetUtcNow();
                }

                if (free > 0)
                {
                    await SubscriptionSignals.WaitAsync(pulse, SubscriptionSignals.Recheck, time, ct);
                    continue;
                }

                try
                {
                    await window.Freed.WaitAsync(SubscriptionSignals.Recheck, time, ct);
                }
                catch (TimeoutException)
                {
                    // Leases may have run out instead: Free looks.
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away; what it did not ack comes back when the leases end.
        }
    }
}
