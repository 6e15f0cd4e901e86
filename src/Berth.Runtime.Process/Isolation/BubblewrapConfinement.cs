using Berth.Core.Runtime;

namespace Berth.Runtime.Process.Isolation;

/// <summary>
/// For a server that is not root: each agent runs in a bubblewrap sandbox under the server's uid. It sees the host's files
/// except the hidden directories (the data directory, the files area, the agents' homes), with its own home and files
/// mounted back; it has its own process and IPC namespaces, so neither the server nor other agents are visible to it.
/// The network is shared: agents reach Berth on loopback.
/// </summary>
internal sealed class BubblewrapConfinement(string? bwrap, IReadOnlyList<string> hidden) : IAgentConfinement
{
    public string Name => "bubblewrap";

    public void EnsureAvailable()
    {
        if (bwrap is null)
        {
            throw new RuntimeException(
                "bwrap was not found, and a server that is not root runs process agents in a bubblewrap sandbox so they cannot read its data: " +
                "apt-get install bubblewrap, or run the server as root (agents then get uids of their own)",
                RuntimeErrorKind.Config);
        }
    }

    public AgentUser? UserFor(string agentName) => null;

    public void CheckReachable(AgentUser? user, string path, string workingDirectory, bool execute, string field)
    {
        var full = Path.GetFullPath(path, workingDirectory);
        if (hidden.FirstOrDefault(h => full == h || full.StartsWith(h + "/", StringComparison.Ordinal)) is { } directory)
        {
            throw new RuntimeException($"{field} '{path}' is inside {directory}, which agents cannot see; move it out", RuntimeErrorKind.Config);
        }
    }

    public IReadOnlyList<string> Prefix(ConfinedLaunch launch)
    {
        List<string> arguments = [bwrap!, "--bind", "/", "/", "--proc", "/proc", "--unshare-pid", "--unshare-ipc"];
        foreach (var directory in hidden.Where(Directory.Exists))
        {
            arguments.AddRange(["--tmpfs", directory]);
        }

        arguments.AddRange(["--bind", launch.Home, launch.Home]);
        if (launch.FilesDirectory is { } files)
        {
            arguments.AddRange(["--ro-bind", files, files]);
        }

        arguments.AddRange(["--chdir", launch.WorkingDirectory, "--"]);
        return arguments;
    }
}
