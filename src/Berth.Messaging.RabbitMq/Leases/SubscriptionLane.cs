using Berth.Core.Messaging;
using RabbitMQ.Client;

namespace Berth.Messaging.RabbitMq.Leases;

/// <summary>
/// One subscription as the broker serves it: its channel (delivery tags belong to a channel, so every delivery it holds is
/// acked on the channel it came from) and the deliveries it holds unacked, in the order they left the queue. Callers hold
/// <see cref="Gate"/> while they touch anything here. When the channel is lost RabbitMQ requeues everything it held, so the
/// lane forgets it all (<see cref="Forget"/>).
/// </summary>
internal sealed class SubscriptionLane(SubscriptionSpec spec, TopicSpec topic)
{
    // Bounds what is remembered of messages given back to the queue without an ack (see Returning).
    private const int ReturnedCapacity = 100_000;

    private readonly Dictionary<string, HeldDelivery> _byAckId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _returned = new(StringComparer.Ordinal);

    public string Name => Spec.Name;

    public SubscriptionSpec Spec { get; set; } = spec;

    public TopicSpec Topic { get; set; } = topic;

    public SemaphoreSlim Gate { get; } = new(1, 1);

    public IChannel? Channel { get; set; }

    /// <summary>The connection generation <see cref="Channel"/> was opened on.</summary>
    public long Generation { get; set; }

    /// <summary>When each delay queue was last declared on this connection (<see cref="Environment.TickCount64"/>), by wait in ms.</summary>
    public Dictionary<long, long> DelayQueuesDeclaredAt { get; } = [];

    /// <summary>Every delivery held, oldest first.</summary>
    public List<HeldDelivery> Held { get; } = [];

    /// <summary>True when one key's messages are delivered one at a time, in order.</summary>
    public bool Keyed => Topic.Ordering == MessageOrdering.Key;

    /// <summary>The ordering key <paramref name="held"/> counts under: null when its topic is not keyed or it has no key.</summary>
    public string? KeyOf(HeldDelivery held) => Keyed ? held.Message.Key : null;

    /// <summary>
    /// The held deliveries a receive may lease now, oldest first, at most <paramref name="max"/>: ready, and the first held
    /// one of their key. <paramref name="keys"/> collects every key held, so messages taken from the queue after this can
    /// tell whether an earlier one of their key is here.
    /// </summary>
    public List<HeldDelivery> Ready(DateTimeOffset now, int max, HashSet<string> keys)
    {
        var ready = new List<HeldDelivery>();
        foreach (var held in Held)
        {
            var key = KeyOf(held);
            var first = key is null || keys.Add(key);
            if (first && ready.Count < max && held.IsReady(now))
            {
                ready.Add(held);
            }
        }

        return ready;
    }

    public ReceivedMessage Lease(HeldDelivery held, DateTimeOffset now)
    {
        var ackId = Guid.NewGuid().ToString("N");
        held.Lease(ackId, now + Topic.VisibilityTimeout);
        _byAckId[ackId] = held;
        return held.ToReceived(Name);
    }

    /// <summary>The delivery leased under <paramref name="ackId"/> whose lease still runs, or null.</summary>
    public HeldDelivery? Leased(string ackId, DateTimeOffset now) =>
        _byAckId.TryGetValue(ackId, out var held) && held.AckId == ackId && !held.IsExpired(now) ? held : null;

    /// <summary>Ends the lease of <paramref name="held"/>: its ack id stops working.</summary>
    public void Unlease(HeldDelivery held)
    {
        if (held.AckId is { } ackId)
        {
            _byAckId.Remove(ackId);
        }
    }

    /// <summary>Lets go of <paramref name="held"/> once it is acked in RabbitMQ.</summary>
    public void Release(HeldDelivery held)
    {
        Unlease(held);
        Held.Remove(held);
    }

    /// <summary>
    /// How many deliveries a message taken from the queue has had. A message RabbitMQ gives back without an ack (a lost
    /// channel, a look at the queue) comes marked redelivered but with the count it was published with; while this process
    /// remembers it (<see cref="Returning"/>) its count is exact, and otherwise — after Berth itself restarted — the mark counts
    /// as one delivery: a lease that was under way when Berth died counts, and a message that was only held back or looked at
    /// when it died is counted once too often.
    /// </summary>
    public int DeliveriesOf(string id, int published, bool redelivered) =>
        _returned.Remove(id, out var known) ? known : published + (redelivered ? 1 : 0);

    /// <summary>Remembers the count of a message going back to the queue unacked.</summary>
    public void Returning(string id, int deliveries)
    {
        if (_returned.Count >= ReturnedCapacity)
        {
            _returned.Clear();
        }

        _returned[id] = deliveries;
    }

    /// <summary>Forgets every held delivery (RabbitMQ requeued them with the channel) and returns how many there were.</summary>
    public int Forget()
    {
        var count = Held.Count;
        foreach (var held in Held)
        {
            Returning(held.Message.Id, held.Deliveries);
        }

        Held.Clear();
        _byAckId.Clear();
        DelayQueuesDeclaredAt.Clear();
        Channel = null;
        return count;
    }
}
