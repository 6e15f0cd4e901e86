using Berth.Core.Plugins;

namespace Berth.Server.Plugins.Pools;

/// <summary>
/// One pool's slots, guarded by <see cref="Gate"/>: the calls in flight on each instance, the calls waiting for a slot, and a
/// signal that wakes the waiters when a slot frees up or the pool's instances change.
/// </summary>
internal sealed class PluginPoolState(string agent, PluginRecord plugin)
{
    private readonly Dictionary<Uri, int> _busy = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _turn;

    /// <summary>Held while reading or changing anything below.</summary>
    public Lock Gate { get; } = new();

    /// <summary>The pool agent's name.</summary>
    public string Agent { get; } = agent;

    /// <summary>The version the pool runs, as the last call saw it.</summary>
    public PluginRecord Plugin { get; set; } = plugin;

    /// <summary>True once the version was removed: no slot is handed out until it is installed again.</summary>
    public bool Closed { get; set; }

    /// <summary>Calls waiting for a slot.</summary>
    public int Waiting { get; set; }

    /// <summary>Calls holding a slot.</summary>
    public int InFlight { get; private set; }

    /// <summary>When the pool last had no call in flight or waiting.</summary>
    public DateTimeOffset IdleSince { get; set; }

    /// <summary>Fires <see cref="PluginPoolState.IdleSince"/> plus the idle timeout later; created on first use.</summary>
    public ITimer? IdleTimer { get; set; }

    /// <summary>The instance ids of the healthy endpoints in <see cref="InstancesOf"/>, read from the store.</summary>
    public Dictionary<Uri, string> InstanceIds { get; } = [];

    /// <summary>The healthy endpoints <see cref="InstanceIds"/> was read for.</summary>
    public IReadOnlyList<Uri> InstancesOf { get; set; } = [];

    /// <summary>Completes at the next <see cref="Pulse"/>.</summary>
    public Task Changed => _changed.Task;

    /// <summary>Wakes every waiter.</summary>
    public void Pulse()
    {
        var previous = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        previous.TrySetResult();
    }

    /// <summary>
    /// Takes a slot on the healthy endpoint with the fewest calls (fewer than <paramref name="concurrency"/>), preferring one
    /// other than <paramref name="avoid"/> and taking turns among equals; null when every slot is busy.
    /// </summary>
    public Uri? TryTake(IReadOnlyList<Uri> healthy, int concurrency, Uri? avoid)
    {
        Uri? best = null;
        var fewest = int.MaxValue;
        var start = healthy.Count == 0 ? 0 : (int)((uint)_turn++ % (uint)healthy.Count);
        for (var i = 0; i < healthy.Count; i++)
        {
            var endpoint = healthy[(start + i) % healthy.Count];
            var busy = _busy.GetValueOrDefault(endpoint);
            var load = endpoint == avoid ? busy + concurrency : busy; // the avoided instance only when no other is free
            if (busy < concurrency && load < fewest)
            {
                (best, fewest) = (endpoint, load);
            }
        }

        if (best is not null)
        {
            _busy[best] = _busy.GetValueOrDefault(best) + 1;
            InFlight++;
        }

        return best;
    }

    /// <summary>Gives back a slot taken by <see cref="TryTake"/>.</summary>
    public void Release(Uri endpoint)
    {
        if (_busy.TryGetValue(endpoint, out var busy))
        {
            if (busy <= 1)
            {
                _busy.Remove(endpoint);
            }
            else
            {
                _busy[endpoint] = busy - 1;
            }

            InFlight--;
        }
    }
}
