using Berth.Core.Runtime;
using Berth.Runtime.Process.Processes;
using Berth.Runtime.Process.State;

namespace Berth.Runtime.Process;

public sealed partial class ProcessAgentRuntime
{
    /// <summary>The window between the two readings of <c>/proc</c> that CPU is measured over.</summary>
    internal static readonly TimeSpan StatsWindow = TimeSpan.FromMilliseconds(500);

    /// <inheritdoc />
    /// <remarks>
    /// CPU is the growth of the tree's user and system time between two readings <see cref="StatsWindow"/> apart, over the
    /// window; memory the tree's resident set at the second reading. A process agent has no network of its own (it shares the
    /// host's), and no memory limit, so those are null.
    /// </remarks>
    public async Task<InstanceStats?> GetStatsAsync(string instanceId, CancellationToken cancellationToken)
    {
        var directory = ProcessInstanceFolder.For(_options.StateDirectory, instanceId);
        if (!directory.Exists || ReadState(directory) is not { } state || !IsRunning(state)
            || ProcessTreeUsage.Read(state.Pid, state.ProcessStartTime) is not { } first)
        {
            return null;
        }

        var started = _timeProvider.GetTimestamp();
        await Task.Delay(StatsWindow, _timeProvider, cancellationToken);
        var elapsed = _timeProvider.GetElapsedTime(started);
        if (ProcessTreeUsage.Read(state.Pid, state.ProcessStartTime) is not { } second)
        {
            return null;
        }

        // A member that exited unreaped between the readings takes its time with it: never report a negative share.
        var ticks = Math.Max(0, second.CpuTicks - first.CpuTicks);
        var percent = elapsed > TimeSpan.Zero ? (double)ticks / ProcessTreeUsage.TicksPerSecond / elapsed.TotalSeconds * 100 : 0;
        return new InstanceStats
        {
            InstanceId = instanceId,
            CpuPercent = Math.Round(percent, 2),
            MemoryBytes = second.ResidentBytes,
            MemoryLimitBytes = null,
            NetworkRxBytes = null,
            NetworkTxBytes = null,
            At = _timeProvider.GetUtcNow(),
        };
    }
}
