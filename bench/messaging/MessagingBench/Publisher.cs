using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Client.Contracts;

namespace Berth.Bench.Messaging;

/// <summary>
/// One publisher: publishes one message at a time until the measured period ends, each body carrying its sequence number and
/// the timestamp its publish started. It first takes a slot of the window (published, not yet acked), so a broker whose
/// consumers fall behind slows the publishers instead of growing a backlog without bound.
/// </summary>
internal sealed class Publisher(BerthClient client, string topic, Ledger ledger, Phases phases, SemaphoreSlim window, string padding)
{
    /// <summary>How long each measured publish took, start to 201, in milliseconds.</summary>
    public List<double> PublishMs { get; } = [];

    /// <summary>Time spent waiting for a window slot within the measured period.</summary>
    public TimeSpan HeldBack { get; private set; }

    public int Errors { get; private set; }

    public string? FirstError { get; private set; }

    /// <summary>Runs until the measured period ends; <paramref name="abort"/> (Ctrl+C) cuts a publish short.</summary>
    public async Task RunAsync(CancellationToken abort)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(abort);
        stop.CancelAfter(phases.Until(phases.MeasureEnd));
        while (!stop.IsCancellationRequested)
        {
            var waitFrom = phases.Now;
            try
            {
                await window.WaitAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            var start = phases.Now;
            HeldBack += Overlap(waitFrom, start);
            if (start >= phases.MeasureEnd)
            {
                window.Release();
                break;
            }

            var seq = ledger.Next();
            var body = new JsonObject { ["seq"] = seq, ["sentAt"] = start, ["pad"] = padding };
            try
            {
                // Not cut short at the period's end: a publish abandoned in flight may be stored yet never confirmed.
                await client.PublishAsync(topic, new PublishRequest { Body = body }, abort);
                ledger.Confirm(seq);
                if (phases.Measured(start))
                {
                    PublishMs.Add(phases.Milliseconds(start, phases.Now));
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !abort.IsCancellationRequested)
            {
                // Its slot stays taken: the server may have stored it, and then its ack gives the slot back.
                Errors++;
                FirstError ??= $"publish: {ex.GetType().Name}: {ex.Message}";
                await Task.Delay(TimeSpan.FromMilliseconds(100), phases.Time, abort);
            }
        }
    }

    /// <summary>The part of [<paramref name="from"/>, <paramref name="to"/>) inside the measured period.</summary>
    private TimeSpan Overlap(long from, long to)
    {
        var start = Math.Max(from, phases.MeasureStart);
        var end = Math.Min(to, phases.MeasureEnd);
        return end > start ? phases.Time.GetElapsedTime(start, end) : TimeSpan.Zero;
    }
}
