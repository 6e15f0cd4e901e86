namespace Berth.Runtime.Docker.Engine.Models;

/// <summary>What <c>POST /containers/{id}/wait</c> waits for.</summary>
public enum WaitCondition
{
    /// <summary>Returns at once if the container is not running, otherwise when it stops.</summary>
    NotRunning,

    /// <summary>Returns when the container next exits.</summary>
    NextExit,

    /// <summary>Returns when the container is removed.</summary>
    Removed,
}
