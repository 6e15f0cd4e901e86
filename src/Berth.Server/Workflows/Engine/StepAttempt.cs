namespace Berth.Server.Workflows.Engine;

/// <summary>One attempt of a step unit, and how it reports back while it runs.</summary>
internal sealed class StepAttempt(int number, string? reattachContainerId, Func<string, Task> containerStarted, Action<string> log)
{
    /// <summary>The attempt's number, from 1.</summary>
    public int Number { get; } = number;

    /// <summary>A container an earlier server process started for this attempt: wait for it instead of starting another.</summary>
    public string? ReattachContainerId { get; } = reattachContainerId;

    /// <summary>Stores the container's id before waiting on it, so a restarted server can re-attach.</summary>
    public Task ContainerStartedAsync(string containerId) => containerStarted(containerId);

    /// <summary>Records one output line.</summary>
    public void Log(string line) => log(line);
}
