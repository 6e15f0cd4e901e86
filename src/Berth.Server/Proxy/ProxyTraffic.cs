using System.Collections.Concurrent;

namespace Berth.Server.Proxy;

/// <summary>
/// Calls through this server's proxy per agent over the last minute, for <c>requestRate</c> in the agent views (the dashboard's
/// overview). Counted in memory in one-second buckets: a restart starts from zero, and each server counts its own traffic.
/// Only agents that exist are counted (the proxy refuses unknown names first), so the map is bounded by the agents applied.
/// </summary>
internal sealed class ProxyTraffic(TimeProvider time)
{
    private const int WindowSeconds = 60;

    private readonly ConcurrentDictionary<string, Window> _agents = new(StringComparer.Ordinal);

    public void Record(string agentName) => _agents.GetOrAdd(agentName, static _ => new Window()).Add(Now());

    /// <summary>Calls per second to <paramref name="agentName"/> over the last minute (0 for an agent not called).</summary>
    public double RatePerSecond(string agentName) =>
        _agents.TryGetValue(agentName, out var window) ? Math.Round(window.Total(Now()) / (double)WindowSeconds, 3) : 0;

    private long Now() => time.GetUtcNow().ToUnixTimeSeconds();

    private sealed class Window
    {
        private readonly long[] _seconds = new long[WindowSeconds];
        private readonly long[] _counts = new long[WindowSeconds];
        private readonly Lock _lock = new();

        public void Add(long now)
        {
            var slot = (int)(now % WindowSeconds);
            lock (_lock)
            {
                if (_seconds[slot] != now)
                {
                    _seconds[slot] = now;
                    _counts[slot] = 0;
                }

                _counts[slot]++;
            }
        }

        public long Total(long now)
        {
            var total = 0L;
            lock (_lock)
            {
                for (var slot = 0; slot < WindowSeconds; slot++)
                {
                    if (now - _seconds[slot] < WindowSeconds)
                    {
                        total += _counts[slot];
                    }
                }
            }

            return total;
        }
    }
}
