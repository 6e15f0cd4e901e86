namespace Berth.Runtime.Docker.Swarm;

/// <summary>Reading a Swarm task's state.</summary>
internal static class SwarmTaskStates
{
    /// <summary>Whether the task runs or is on its way to running (<c>new</c> … <c>starting</c>, <c>running</c>).</summary>
    public static bool IsLive(string state) => state is "new" or "pending" or "assigned" or "accepted" or "ready" or "preparing" or "starting" or "running";
}
