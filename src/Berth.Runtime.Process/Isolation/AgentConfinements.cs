using Berth.Core.Runtime;
using Berth.Runtime.Process.Launching;

namespace Berth.Runtime.Process.Isolation;

/// <summary>Picks the confinement <see cref="ProcessRuntimeOptions.Isolation"/> asks for on this machine.</summary>
internal static class AgentConfinements
{
    public static IAgentConfinement Create(ProcessRuntimeOptions options)
    {
        var mode = options.Isolation == ProcessIsolation.Auto
            ? UnixFiles.EffectiveUserId == 0 ? ProcessIsolation.User : ProcessIsolation.Bubblewrap
            : options.Isolation;
        return mode switch
        {
            ProcessIsolation.User => new UserConfinement(
                new AgentUserTable(options.StateDirectory, options.AgentUserBase, options.AgentUserCount), CommandResolver.FindTool("setpriv")),
            ProcessIsolation.Bubblewrap => new BubblewrapConfinement(
                CommandResolver.FindTool("bwrap"), Outermost([.. options.HiddenDirectories, options.StateDirectory, options.FilesDirectory, options.AgentsDirectory])),
            _ => new Unconfined(),
        };
    }

    // The state directory lies inside the data directory: hiding the outer one hides both, with one mount.
    private static List<string> Outermost(IEnumerable<string> directories)
    {
        var full = directories.Select(d => Path.TrimEndingDirectorySeparator(Path.GetFullPath(d))).Distinct(StringComparer.Ordinal).ToList();
        return full.Where(d => !full.Any(other => d.StartsWith(other + "/", StringComparison.Ordinal))).ToList();
    }
}
