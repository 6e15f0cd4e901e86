namespace Berth.Runtime.Process.Isolation;

/// <summary>One way of keeping a process agent from the server's data, the secrets key, other agents and the server itself.</summary>
internal interface IAgentConfinement
{
    /// <summary>The name operators see in logs and errors (<c>user</c>, <c>bubblewrap</c>, <c>none</c>).</summary>
    string Name { get; }

    /// <summary>Throws a Config <c>RuntimeException</c> saying what to install or set when agents cannot be confined here.</summary>
    void EnsureAvailable();

    /// <summary>The uid the agent runs under, or null when it keeps the server's.</summary>
    AgentUser? UserFor(string agentName);

    /// <summary>
    /// Throws a Config <c>RuntimeException</c> naming <paramref name="field"/> and the path when the agent could not reach
    /// <paramref name="path"/> (relative paths start at <paramref name="workingDirectory"/>).
    /// </summary>
    void CheckReachable(AgentUser? user, string path, string workingDirectory, bool execute, string field);

    /// <summary>The programs and arguments that run the agent's command line confined.</summary>
    IReadOnlyList<string> Prefix(ConfinedLaunch launch);
}
