using System.Collections.Concurrent;

namespace Berth.Messaging.RabbitMq.Leases;

/// <summary>
/// What this process put in delay queues, so listings and lookups can show a message while RabbitMQ holds it out of sight
/// (a queue cannot be read without taking from it). Kept in memory and bounded: after a restart, or past
/// <see cref="Capacity"/> entries, a waiting message is still counted and delivered but not listed until it is ready again.
/// </summary>
internal sealed class DelayedIndex
{
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<(string Subscription, string Id), DelayedEntry> _entries = new();

    public void Add(DelayedEntry entry)
    {
        if (_entries.Count < Capacity)
        {
            _entries[(entry.Subscription, entry.Message.Id)] = entry;
        }
    }

    public void Remove(string subscription, string id) => _entries.TryRemove((subscription, id), out _);

    public int RemoveSubscription(string subscription)
    {
        var removed = 0;
        foreach (var key in _entries.Keys.Where(k => k.Subscription == subscription))
        {
            removed += _entries.TryRemove(key, out _) ? 1 : 0;
        }

        return removed;
    }

    public IEnumerable<DelayedEntry> Of(string subscription) => _entries.Values.Where(e => e.Subscription == subscription);

    public DelayedEntry? Find(string id) => _entries.Values.FirstOrDefault(e => e.Message.Id == id);

    /// <summary>Forgets entries due before <paramref name="before"/>: their message has long been back in its queue or gone.</summary>
    public void Prune(DateTimeOffset before)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.DueAt < before)
            {
                _entries.TryRemove(key, out _);
            }
        }
    }
}
