using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Core.Messaging;

namespace Berth.Bench.Messaging;

/// <summary>
/// One consumer: long-polls the subscription for a batch (<c>max</c> messages, waiting up to <c>wait</c> for the first), acks
/// the whole batch in one call, and records for each message acked the time from its publish's start to the ack's answer.
/// </summary>
internal sealed class Consumer(BerthClient client, string subscription, Ledger ledger, Phases phases, SemaphoreSlim window, int batch, TimeSpan wait)
{
    /// <summary>Publish start to ack confirmed, in milliseconds, for messages whose publish started in the measured period.</summary>
    public List<double> EndToEndMs { get; } = [];

    /// <summary>Publish start to the receive's answer, for the same messages.</summary>
    public List<double> DeliveredMs { get; } = [];

    /// <summary>How long each ack call took, for acks answered in the measured period.</summary>
    public List<double> AckMs { get; } = [];

    /// <summary>How long each receive that returned messages took, ask to answer, for receives answered in the measured period.</summary>
    public List<double> ReceiveMs { get; } = [];

    /// <summary>Messages per receive that returned any, in the measured period.</summary>
    public List<double> BatchSizes { get; } = [];

    /// <summary>First acks answered within the measured period.</summary>
    public long AckedInPeriod { get; private set; }

    /// <summary>Receives in the measured period that came back empty after their wait.</summary>
    public int EmptyReceives { get; private set; }

    /// <summary>Ack ids the server answered as not held (the lease had ended, or it was settled already).</summary>
    public int NotHeld { get; private set; }

    public int Errors { get; private set; }

    public string? FirstError { get; private set; }

    /// <summary>Runs until <paramref name="stop"/>; <paramref name="abort"/> (Ctrl+C) cuts an ack short too.</summary>
    public async Task RunAsync(CancellationToken stop, CancellationToken abort)
    {
        while (!stop.IsCancellationRequested)
        {
            IReadOnlyList<ReceivedMessage> received;
            var asked = phases.Now;
            try
            {
                received = await client.ReceiveAsync(subscription, batch, wait, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await FailedAsync("receive", ex, abort);
                continue;
            }

            var answered = phases.Now;
            if (received.Count == 0)
            {
                EmptyReceives += phases.Measured(asked) ? 1 : 0;
                continue;
            }

            if (phases.Measured(answered))
            {
                BatchSizes.Add(received.Count);
                ReceiveMs.Add(phases.Milliseconds(asked, answered));
            }

            await AckAsync(received, answered, abort);
        }
    }

    private async Task AckAsync(IReadOnlyList<ReceivedMessage> received, long answered, CancellationToken abort)
    {
        var sent = new Dictionary<string, (long Seq, long SentAt)>(received.Count, StringComparer.Ordinal);
        foreach (var message in received)
        {
            if (Read(message.Body) is { } carried && ledger.Delivered(carried.Seq))
            {
                sent[message.AckId] = carried;
            }
        }

        var ackIds = received.Select(m => m.AckId).ToList();
        Berth.Client.Contracts.SettleResponse settled;
        try
        {
            // Not cut short when the run stops: an ack abandoned in flight leaves a lease that only its timeout ends.
            settled = await client.AckAsync(subscription, ackIds, abort);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !abort.IsCancellationRequested)
        {
            await FailedAsync("ack", ex, abort);
            return;
        }

        var done = phases.Now;
        var measured = phases.Measured(done);
        if (measured)
        {
            AckMs.Add(phases.Milliseconds(answered, done));
        }

        NotHeld += settled.NotHeld.Count;
        foreach (var ackId in settled.Settled)
        {
            if (!sent.TryGetValue(ackId, out var carried) || !ledger.Ack(carried.Seq))
            {
                continue;
            }

            window.Release();
            AckedInPeriod += measured ? 1 : 0;
            if (phases.Measured(carried.SentAt))
            {
                EndToEndMs.Add(phases.Milliseconds(carried.SentAt, done));
                DeliveredMs.Add(phases.Milliseconds(carried.SentAt, answered));
            }
        }
    }

    private async Task FailedAsync(string what, Exception ex, CancellationToken abort)
    {
        Errors++;
        FirstError ??= $"{what}: {ex.GetType().Name}: {ex.Message}";
        await Task.Delay(TimeSpan.FromMilliseconds(100), phases.Time, abort);
    }

    /// <summary>The sequence number and publish timestamp a body carries, or null when it is not one of this benchmark's.</summary>
    private static (long Seq, long SentAt)? Read(JsonNode? body)
    {
        try
        {
            return body is JsonObject fields && fields["seq"] is JsonValue seq && fields["sentAt"] is JsonValue sentAt
                ? (seq.GetValue<long>(), sentAt.GetValue<long>())
                : null;
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
            return null;
        }
    }
}
