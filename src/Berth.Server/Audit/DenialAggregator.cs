using Berth.Core.Security;

namespace Berth.Server.Audit;

/// <summary>
/// Keeps a flood of denied requests from one source from writing one audit row each. Per source, principal and status,
/// the first <see cref="IndividualPerMinute"/> denials of each minute are stored as they are; the rest of that minute are
/// folded into one record (action <c>*</c>) with their <see cref="AuditRecord.Count"/>, stored when the minute ends (or
/// when the log is flushed or the server stops). So a source costs at most a dozen rows a minute however much it sends.
/// </summary>
internal sealed class DenialAggregator
{
    /// <summary>Denials of one source, principal and status stored one by one each minute before the rest are counted.</summary>
    public const int IndividualPerMinute = 10;

    // Sources tracked at once; beyond it the minute's counts are stored early, so memory stays bounded.
    private const int MaxWindows = 10_000;

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly Dictionary<(string? Source, string Principal, int Status), Window> _windows = [];

    /// <summary>Adds <paramref name="record"/>; what is to be stored now (it, and any minute it closes) goes to <paramref name="store"/>.</summary>
    public void Add(AuditRecord record, List<AuditRecord> store)
    {
        if (record.Outcome != AuditOutcomes.Denied)
        {
            store.Add(record);
            return;
        }

        var key = (record.Source, record.Principal, record.Status);
        var start = new DateTimeOffset(record.Time.UtcTicks - (record.Time.UtcTicks % Minute.Ticks), TimeSpan.Zero);
        if (_windows.TryGetValue(key, out var window) && window.Start != start)
        {
            window.TakeFolded(store);
            window = null;
        }

        if (window is null)
        {
            if (_windows.Count >= MaxWindows)
            {
                TakeAll(store);
                _windows.Clear();
            }

            window = new Window(start);
            _windows[key] = window;
        }

        if (++window.Seen <= IndividualPerMinute)
        {
            store.Add(record);
        }
        else
        {
            window.Fold(record);
        }
    }

    /// <summary>Moves the counts of minutes that ended before <paramref name="now"/> to <paramref name="store"/>.</summary>
    public void TakeEnded(DateTimeOffset now, List<AuditRecord> store)
    {
        foreach (var (key, window) in _windows.Where(w => w.Value.Start + Minute <= now).ToList())
        {
            window.TakeFolded(store);
            _windows.Remove(key);
        }
    }

    /// <summary>Moves every count so far to <paramref name="store"/>; later denials of the same minute keep being counted.</summary>
    public void TakeAll(List<AuditRecord> store)
    {
        foreach (var window in _windows.Values)
        {
            window.TakeFolded(store);
        }
    }

    private sealed class Window(DateTimeOffset start)
    {
        private AuditRecord? _first;
        private int _folded;

        public DateTimeOffset Start { get; } = start;

        public int Seen { get; set; }

        public void Fold(AuditRecord record)
        {
            _first ??= record;
            _folded++;
        }

        public void TakeFolded(List<AuditRecord> store)
        {
            if (_first is { } first && _folded > 0)
            {
                store.Add(first with { Action = "*", Verb = null, Target = null, Count = _folded });
            }

            _first = null;
            _folded = 0;
        }
    }
}
