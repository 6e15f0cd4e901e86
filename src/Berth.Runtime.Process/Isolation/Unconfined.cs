namespace Berth.Runtime.Process.Isolation;

/// <summary>Agents run as the server's user and can read all it can; chosen only by <c>Berth:Process:Isolation=none</c>.</summary>
internal sealed class Unconfined : IAgentConfinement
{
    public string Name => "none";

    public void EnsureAvailable()
    {
    }

    public AgentUser? UserFor(string agentName) => null;

    public void CheckReachable(AgentUser? user, string path, string workingDirectory, bool execute, string field)
    {
    }

    public IReadOnlyList<string> Prefix(ConfinedLaunch launch) => [];
}
