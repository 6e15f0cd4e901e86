using Berth.Core.Workflows.Runs;

namespace Berth.Server.Workflows.Caching;

/// <summary>Says why a step's key missed the cache: which parts differ from the closest earlier key of the same step.</summary>
internal static class CacheMissExplainer
{
    /// <summary>The earlier entry sharing the most parts with <paramref name="parts"/> (the newest among equals), or null when there is none.</summary>
    public static CacheEntry? Closest(IReadOnlyDictionary<string, string> parts, IEnumerable<CacheEntry> earlier) =>
        earlier
            .Select((entry, order) => (Entry: entry, Order: order, Same: entry.Parts.Count(p => parts.TryGetValue(p.Key, out var h) && h == p.Value)))
            .OrderByDescending(c => c.Same)
            .ThenBy(c => c.Order)
            .Select(c => c.Entry)
            .FirstOrDefault();

    /// <summary>Each differing part as "<c>file:/in/a.txt changed</c>", "<c>env.MODE added</c>" or "<c>env.OLD removed</c>", in part order.</summary>
    public static IReadOnlyList<string> Differences(IReadOnlyDictionary<string, string> now, IReadOnlyDictionary<string, string> before) =>
        now.Keys.Union(before.Keys)
            .Order(StringComparer.Ordinal)
            .Select(name => (now.TryGetValue(name, out var a), before.TryGetValue(name, out var b)) switch
            {
                (true, false) => $"{name} added",
                (false, true) => $"{name} removed",
                _ when now[name] != before[name] => $"{name} changed",
                _ => null,
            })
            .OfType<string>()
            .ToList();
}
