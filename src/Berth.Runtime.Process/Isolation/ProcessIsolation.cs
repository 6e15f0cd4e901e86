namespace Berth.Runtime.Process.Isolation;

/// <summary>How process agents are kept away from the server's data, the secrets key, each other and the server itself.</summary>
public enum ProcessIsolation
{
    /// <summary><see cref="User"/> when the server runs as root, else <see cref="Bubblewrap"/> when <c>bwrap</c> is installed, else process agents are refused.</summary>
    Auto,

    /// <summary>Each agent runs under a uid of its own, with no capabilities and <c>no_new_privs</c>. Needs a root server.</summary>
    User,

    /// <summary>Each agent runs in a bubblewrap sandbox that hides the data directory, the other agents' folders and every other process.</summary>
    Bubblewrap,

    /// <summary>Agents run as the server's user and can read everything it can. Only for a machine whose every agent is trusted.</summary>
    None,
}
