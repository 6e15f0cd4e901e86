using System.Runtime.CompilerServices;
using Berth.Core.Runtime;

namespace Berth.Server.Agents;

/// <summary>Merges several time-ordered log sequences into one, holding one pending line per sequence.</summary>
internal static class LogMerge
{
    public static async IAsyncEnumerable<LogEntry> ByTime(IReadOnlyList<IAsyncEnumerable<LogEntry>> sources, [EnumeratorCancellation] CancellationToken ct)
    {
        var enumerators = sources.Select(s => s.GetAsyncEnumerator(ct)).ToList();
        try
        {
            // Priority by time, then by source index so equal times keep the instances' order.
            var next = new PriorityQueue<int, (DateTimeOffset Time, int Index)>();
            for (var i = 0; i < enumerators.Count; i++)
            {
                if (await enumerators[i].MoveNextAsync())
                {
                    next.Enqueue(i, (enumerators[i].Current.Time, i));
                }
            }

            while (next.TryDequeue(out var index, out _))
            {
                yield return enumerators[index].Current;
                if (await enumerators[index].MoveNextAsync())
                {
                    next.Enqueue(index, (enumerators[index].Current.Time, index));
                }
            }
        }
        finally
        {
            foreach (var enumerator in enumerators)
            {
                await enumerator.DisposeAsync();
            }
        }
    }
}
