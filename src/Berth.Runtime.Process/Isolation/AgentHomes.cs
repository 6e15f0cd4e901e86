using Berth.Core.Runtime;
using Berth.Core.Security;

namespace Berth.Runtime.Process.Isolation;

/// <summary>
/// One private home per instance, <c>{AgentsDirectory}/{instanceId}</c>, outside the data directory: the agent's working
/// directory unless its spec names one, and its <c>HOME</c>. Owned by the agent's user, 0700; the root is the server's own and
/// 0711, so an agent reaches its home but cannot list the others.
/// </summary>
internal sealed class AgentHomes(string root)
{
    private const string Setting = "Berth:Process:AgentsDirectory";
    private const UnixFileMode Passable = OwnerOnly.DirectoryMode | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public string PathOf(string instanceId) => Path.Combine(root, InstanceIds.CheckSafe(instanceId));

    public string Prepare(string instanceId, AgentUser? user)
    {
        OwnedDirectory.Ensure(root, Passable, Setting);
        var home = PathOf(instanceId);
        OwnerOnly.CreateDirectory(home);
        var status = UnixFiles.Status(home);
        if (status is not { Type: UnixFileType.Directory } directory || (directory.UserId != UnixFiles.EffectiveUserId && directory.UserId != user?.Id))
        {
            throw new RuntimeException($"{home} is not a directory of the server's or the agent's user; remove it", RuntimeErrorKind.Config);
        }

        if (user is { } agent && directory.UserId != agent.Id)
        {
            UnixFiles.ChangeOwner(home, agent.Id, agent.GroupId);
        }

        return home;
    }

    public void Delete(string instanceId)
    {
        var home = PathOf(instanceId);
        if (Directory.Exists(home))
        {
            // Deleting never follows a link the agent left inside: links are removed, not their targets.
            Directory.Delete(home, recursive: true);
        }
    }

    /// <summary>Removes the root when no home is left in it, so a stopped server leaves no empty folder behind.</summary>
    public void RemoveRootIfEmpty()
    {
        try
        {
            Directory.Delete(root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // not empty (agents keep running to be re-adopted), or already gone
        }
    }
}
