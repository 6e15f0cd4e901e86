namespace Berth.Bench.Messaging;

/// <summary>
/// Every message of a run by its sequence number (carried in its body): whether its publish was confirmed, how often it was
/// delivered, whether an ack of it was confirmed. Lock-free, since publishers and consumers write at once; a publish can be
/// confirmed after its ack (the consumer was faster than the 201), so a message is complete when both marks are set, in
/// either order.
/// </summary>
internal sealed class Ledger
{
    private const int SegmentBits = 16;
    private const int SegmentSize = 1 << SegmentBits;
    private const int MaxSegments = 1024;
    private const int PublishedMark = 1;
    private const int AckedMark = 2;

    private readonly Segment?[] _segments = new Segment?[MaxSegments];
    private long _next = -1;
    private long _published;
    private long _acked;
    private long _complete;
    private long _duplicates;
    private long _unknown;

    /// <summary>Publishes confirmed (201).</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Messages with a confirmed ack (each counted once).</summary>
    public long Acked => Interlocked.Read(ref _acked);

    /// <summary>Deliveries beyond a message's first.</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Deliveries of messages this run never sent (a body without a sequence number it handed out).</summary>
    public long Unknown => Interlocked.Read(ref _unknown);

    /// <summary>Confirmed publishes whose ack has not been confirmed yet.</summary>
    public long Outstanding => Published - Interlocked.Read(ref _complete);

    /// <summary>Sequence numbers handed out so far.</summary>
    public long Issued => Interlocked.Read(ref _next) + 1;

    /// <summary>The next sequence number.</summary>
    public long Next()
    {
        var seq = Interlocked.Increment(ref _next);
        if (seq >= (long)MaxSegments * SegmentSize)
        {
            throw new BenchException($"more than {(long)MaxSegments * SegmentSize} messages in one run; shorten BENCH_DURATION");
        }

        SegmentOf(seq);
        return seq;
    }

    /// <summary>Marks the publish of <paramref name="seq"/> confirmed.</summary>
    public void Confirm(long seq)
    {
        Interlocked.Increment(ref _published);
        Mark(seq, PublishedMark);
    }

    /// <summary>Counts a delivery of <paramref name="seq"/>; false when the run never handed that number out.</summary>
    public bool Delivered(long seq)
    {
        if (!Known(seq))
        {
            Interlocked.Increment(ref _unknown);
            return false;
        }

        if (Interlocked.Increment(ref SegmentOf(seq).Deliveries[seq & (SegmentSize - 1)]) > 1)
        {
            Interlocked.Increment(ref _duplicates);
        }

        return true;
    }

    /// <summary>Marks an ack of <paramref name="seq"/> confirmed; true for its first.</summary>
    public bool Ack(long seq)
    {
        if (!Known(seq))
        {
            return false;
        }

        var first = (Mark(seq, AckedMark) & AckedMark) == 0;
        if (first)
        {
            Interlocked.Increment(ref _acked);
        }

        return first;
    }

    /// <summary>Confirmed publishes never acked, up to <paramref name="limit"/> of them, for the report.</summary>
    public IReadOnlyList<long> Lost(int limit)
    {
        var lost = new List<long>();
        for (var seq = 0L; seq < Issued && lost.Count < limit; seq++)
        {
            if (Volatile.Read(ref SegmentOf(seq).Marks[seq & (SegmentSize - 1)]) == PublishedMark)
            {
                lost.Add(seq);
            }
        }

        return lost;
    }

    /// <summary>Acked messages whose publish was never confirmed (a publish that failed after the server had stored it).</summary>
    public long AckedUnconfirmed()
    {
        var count = 0L;
        for (var seq = 0L; seq < Issued; seq++)
        {
            if (Volatile.Read(ref SegmentOf(seq).Marks[seq & (SegmentSize - 1)]) == AckedMark)
            {
                count++;
            }
        }

        return count;
    }

    private bool Known(long seq) => seq >= 0 && seq < Issued;

    /// <summary>Sets <paramref name="mark"/> and returns the marks before; the caller that completes the pair counts it.</summary>
    private int Mark(long seq, int mark)
    {
        var before = Interlocked.Or(ref SegmentOf(seq).Marks[seq & (SegmentSize - 1)], mark);
        if ((before & mark) == 0 && (before | mark) == (PublishedMark | AckedMark))
        {
            Interlocked.Increment(ref _complete);
        }

        return before;
    }

    private Segment SegmentOf(long seq)
    {
        var index = (int)(seq >> SegmentBits);
        return Volatile.Read(ref _segments[index])
            ?? Interlocked.CompareExchange(ref _segments[index], new Segment(), null)
            ?? _segments[index]!;
    }

    private sealed class Segment
    {
        public readonly int[] Marks = new int[SegmentSize];
        public readonly int[] Deliveries = new int[SegmentSize];
    }
}
