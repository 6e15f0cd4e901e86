using Berth.Core.Runtime;

namespace Berth.Runtime.Process.Isolation;

/// <summary>
/// For a root server: every agent runs under a uid of its own (no supplementary groups, no capabilities, <c>no_new_privs</c>),
/// so the kernel keeps it out of the owner-only data directory, other agents' homes, files and <c>/proc</c> entries, and the
/// server's memory. <c>setpriv</c> (util-linux) drops the privileges and then execs the agent, so its pid stays the agent's.
/// </summary>
internal sealed class UserConfinement(AgentUserTable users, string? setpriv) : IAgentConfinement
{
    public string Name => "user";

    public void EnsureAvailable()
    {
        if (UnixFiles.EffectiveUserId != 0)
        {
            throw new RuntimeException(
                "Berth:Process:Isolation is 'user', which needs a server running as root; run it as root, or set it to 'bubblewrap' (apt-get install bubblewrap)",
                RuntimeErrorKind.Config);
        }

        if (setpriv is null)
        {
            throw new RuntimeException("setpriv was not found; install util-linux so process agents can run under their own uids", RuntimeErrorKind.Config);
        }
    }

    public AgentUser? UserFor(string agentName) => users.For(agentName);

    public void CheckReachable(AgentUser? user, string path, string workingDirectory, bool execute, string field)
    {
        if (user is { } agent && AgentAccess.FindBlocker(agent, path, workingDirectory, execute) is { } blocker)
        {
            var need = execute ? "read and execute" : "read";
            throw new RuntimeException(
                $"{field} '{path}' cannot be reached by the agent's user (uid {agent}): '{blocker}' is closed to it. Agents run under their own uid " +
                $"and may only {need} what other users may: make it so (for example chmod o+rx on the directories, o+r on the files), or move it",
                RuntimeErrorKind.Config);
        }
    }

    public IReadOnlyList<string> Prefix(ConfinedLaunch launch)
    {
        var user = launch.User ?? throw new InvalidOperationException("a user-confined launch needs the agent's user");
        return
        [
            setpriv!, $"--reuid={user}", $"--regid={user.GroupId}", "--clear-groups", "--no-new-privs",
            "--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-all", "--",
        ];
    }
}
