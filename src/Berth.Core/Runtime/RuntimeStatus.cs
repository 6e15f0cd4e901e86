namespace Berth.Core.Runtime;

/// <summary>Whether an instance's program is running.</summary>
public enum RuntimeStatus
{
    /// <summary>Created but not started yet.</summary>
    Created,

    /// <summary>Running.</summary>
    Running,

    /// <summary>Exited (by itself, killed or stopped); see <see cref="RuntimeInstance.ExitCode"/>.</summary>
    Exited,
}
