using Berth.Core.Agents;
using Berth.Core.Runtime;
using Berth.Core.Storage;
using Berth.Server.Runtimes;

namespace Berth.Server.Stats;

/// <summary>
/// Samples the running instances of agents through their runtime drivers, many at once: each sample waits out the driver's
/// CPU window, so sampling 500 instances one by one would take minutes. An instance that stopped, or whose driver failed to
/// answer, is left out rather than failing the whole answer.
/// </summary>
internal static class StatsSampler
{
    /// <summary>Samples taken at once: each mostly waits, but each is also a call to the engine or a walk of /proc.</summary>
    public const int Parallelism = 32;

    public static async Task<IReadOnlyList<AgentStats>> SampleAsync(
        IReadOnlyList<AgentRecord> agents, IInstanceStore instances, RuntimeCatalog runtimes, CancellationToken ct)
    {
        var byAgent = (await instances.ListAsync(null, ct)).ToLookup(i => i.AgentName, StringComparer.Ordinal);
        var work = new List<(string Agent, string InstanceId, IAgentRuntime Driver)>();
        foreach (var agent in agents)
        {
            if (runtimes.Configured(agent.Spec.Kind) is not { } driver)
            {
                continue;
            }

            work.AddRange(byAgent[agent.Name].Where(IsUp).OrderBy(i => i.Ordinal).Select(i => (agent.Name, i.InstanceId, driver)));
        }

        var samples = new InstanceStats?[work.Count];
        await Parallel.ForAsync(0, work.Count, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (index, token) =>
        {
            var (_, instanceId, driver) = work[index];
            try
            {
                samples[index] = await driver.GetStatsAsync(instanceId, token);
            }
            catch (RuntimeException)
            {
                // the engine could not answer for this instance (removed, engine busy): leave it out of this sample
            }
        });

        var sampled = work.Select((w, index) => (w.Agent, Sample: samples[index])).Where(s => s.Sample is not null).ToLookup(s => s.Agent, s => s.Sample!, StringComparer.Ordinal);
        return agents.Select(a => new AgentStats(a.Name, sampled[a.Name].ToList())).ToList();
    }

    /// <summary>Whether the instance's program may be running, so a sample can find it.</summary>
    private static bool IsUp(InstanceRecord instance) => instance.State is InstanceState.Starting or InstanceState.Running or InstanceState.Unhealthy;
}
