using Berth.Core.Messaging;

namespace Berth.Cli.Specs;

/// <summary>The order topics are applied in: a topic named as another's <c>deadLetter</c> first, so the server finds it defined.</summary>
internal static class TopicOrder
{
    /// <summary>
    /// <paramref name="topics"/> with every dead-letter target before the topics that name it, otherwise in file order. A cycle
    /// (a's dead letters go to b, b's to a) cannot be ordered so; it is left in file order from where it closes.
    /// </summary>
    public static IReadOnlyList<TopicSpec> DeadLettersFirst(IReadOnlyList<TopicSpec> topics)
    {
        var byName = topics.GroupBy(t => t.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var ordered = new List<TopicSpec>(topics.Count);
        var placed = new HashSet<TopicSpec>(ReferenceEqualityComparer.Instance);
        foreach (var topic in topics)
        {
            // Walk the chain of dead-letter targets down to its end (or to a topic met again), then place it from the end back.
            var chain = new List<TopicSpec>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var next = topic; next is not null && !placed.Contains(next) && seen.Add(next.Name);
                 next = next.DeadLetter is { } target ? byName.GetValueOrDefault(target) : null)
            {
                chain.Add(next);
            }

            for (var i = chain.Count - 1; i >= 0; i--)
            {
                placed.Add(chain[i]);
                ordered.Add(chain[i]);
            }
        }

        return ordered;
    }
}
