using Berth.Client;
using Berth.Core.Agents;

namespace Berth.Cli.Commands;

/// <summary>Reads the last few events of an agent (the API pages oldest first).</summary>
internal static class RecentEvents
{
    private const int PageSize = 500;

    public static async Task<IReadOnlyList<AgentEvent>> GetAsync(BerthClient client, string name, int count, CancellationToken cancellationToken)
    {
        var recent = new Queue<AgentEvent>();
        long after = 0;
        while (true)
        {
            var page = await client.ListEventsAsync(name, after, PageSize, cancellationToken);
            foreach (var agentEvent in page)
            {
                recent.Enqueue(agentEvent);
                if (recent.Count > count)
                {
                    recent.Dequeue();
                }
            }

            if (page.Count < PageSize)
            {
                return recent.ToList();
            }

            after = page[^1].Id;
        }
    }
}
