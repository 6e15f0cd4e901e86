using Berth.Core.Runtime;

namespace Berth.Runtime.Process.Processes;

/// <summary>Stops a process group: SIGTERM, up to a grace period for it to end, then SIGKILL.</summary>
internal sealed class ProcessGroupTerminator(TimeProvider timeProvider)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Ends the group; returns true when SIGKILL was needed.</summary>
    public async Task<bool> TerminateAsync(int processGroup, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        if (!ProcStat.GroupHasLiveMembers(processGroup) || !Signals.SendToGroup(processGroup, Signals.Terminate))
        {
            return false;
        }

        if (await WaitUntilGoneAsync(processGroup, gracePeriod, cancellationToken))
        {
            return false;
        }

        Signals.SendToGroup(processGroup, Signals.Kill);
        if (!await WaitUntilGoneAsync(processGroup, KillTimeout, cancellationToken))
        {
            throw new RuntimeException($"processes of group {processGroup} still run {KillTimeout.TotalSeconds}s after SIGKILL (stuck in the kernel?); check them with 'ps -g {processGroup}'");
        }

        return true;
    }

    private async Task<bool> WaitUntilGoneAsync(int processGroup, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        while (ProcStat.GroupHasLiveMembers(processGroup))
        {
            if (timeProvider.GetElapsedTime(started) >= timeout)
            {
                return false;
            }

            await Task.Delay(PollInterval, timeProvider, cancellationToken);
        }

        return true;
    }
}
