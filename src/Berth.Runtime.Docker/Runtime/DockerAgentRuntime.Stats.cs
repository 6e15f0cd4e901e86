using Berth.Core.Runtime;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Engine.Models;

namespace Berth.Runtime.Docker.Runtime;

public sealed partial class DockerAgentRuntime
{
    /// <summary>The window between the two stats samples CPU is measured over.</summary>
    internal static readonly TimeSpan StatsWindow = TimeSpan.FromMilliseconds(500);

    /// <inheritdoc />
    /// <remarks>
    /// Asks the engine for one-shot samples (<c>stream=false&amp;one-shot=true</c>), which answer at once but carry no previous CPU
    /// reading (<c>precpu_stats</c> is empty on those engines), so it takes a second sample after <see cref="StatsWindow"/> and
    /// measures CPU between the two, as <c>docker stats</c> does between consecutive samples. An engine that fills
    /// <c>precpu_stats</c> anyway is answered from its first sample.
    /// </remarks>
    public Task<InstanceStats?> GetStatsAsync(string instanceId, CancellationToken cancellationToken) =>
        GetContainerStatsAsync(instanceId, DockerLabels.ContainerName(instanceId), cancellationToken);

    /// <summary>Samples the container <paramref name="name"/> (a name or id) running instance <paramref name="instanceId"/>; null when it does not run.</summary>
    internal async Task<InstanceStats?> GetContainerStatsAsync(string instanceId, string name, CancellationToken cancellationToken)
    {
        try
        {
            if (await _client.TryInspectContainerAsync(name, cancellationToken).ConfigureAwait(false) is not { State.Running: true })
            {
                return null;
            }

            var first = await _client.GetStatsAsync(name, cancellationToken).ConfigureAwait(false);
            var before = first.PreCpuStats;
            var sample = first;
            if (!ContainerUsage.HasPrevious(first))
            {
                await Task.Delay(StatsWindow, _timeProvider, cancellationToken).ConfigureAwait(false);
                sample = await _client.GetStatsAsync(name, cancellationToken).ConfigureAwait(false);
                before = first.CpuStats;
            }

            return ToStats(instanceId, before, sample);
        }
        catch (DockerEngineException ex) when (ex.IsNotFound)
        {
            // removed while sampled
            return null;
        }
    }

    private InstanceStats ToStats(string instanceId, CpuStats before, ContainerStats sample)
    {
        var (rx, tx) = ContainerUsage.Network(sample);
        return new InstanceStats
        {
            InstanceId = instanceId,
            CpuPercent = ContainerUsage.CpuPercent(before, sample.CpuStats),
            MemoryBytes = ContainerUsage.MemoryBytes(sample.MemoryStats),
            MemoryLimitBytes = sample.MemoryStats.Limit > 0 ? sample.MemoryStats.Limit : null,
            NetworkRxBytes = rx,
            NetworkTxBytes = tx,
            At = _timeProvider.GetUtcNow(),
        };
    }
}
