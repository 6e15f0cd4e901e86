using Berth.Core.Runtime;
using Berth.Core.Security;

namespace Berth.Runtime.Process.Isolation;

/// <summary>
/// One private home per instance, <c>{AgentsDirectory}/{instanceId}</c>, outside the data directory: the agent's working
/// directory unless its spec names one, and its <c>HOME</c>. Owned by the agent's user, 0700; the root is the server's own and
/// 0711, so an agent reaches its home but cannot list the others. Its <c>tmp</c> folder is the instance's <c>TMPDIR</c>: agents
/// never share the host's /tmp, where one could read another's scratch files or own a folder a tool expects to create
/// (NuGet's /tmp/NuGetScratch, made by root, stops a .NET agent's restore).
/// </summary>
internal sealed class AgentHomes(string root)
{
    private const string Setting = "Berth:Process:AgentsDirectory";
    private const UnixFileMode Passable = OwnerOnly.DirectoryMode | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public string PathOf(string instanceId) => Path.Combine(root, InstanceIds.CheckSafe(instanceId));

    /// <summary>The private temp folder inside an instance's <paramref name="home"/>.</summary>
    public static string TempOf(string home) => Path.Combine(home, "tmp");

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

        var temp = TempOf(home);
        OwnerOnly.CreateDirectory(temp);
        if (user is { } agent)
        {
            // lchown: a link the agent left in place of tmp is given back to it, never followed
            UnixFiles.ChangeOwner(home, agent.Id, agent.GroupId);
            UnixFiles.ChangeOwner(temp, agent.Id, agent.GroupId);
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
