using Berth.Runtime.Process.Isolation;

namespace Berth.Runtime.Process;

/// <summary>
/// Settings of the <c>process</c> runtime driver. The server binds them from <c>Berth:Process</c> and sets
/// <see cref="StateDirectory"/>, <see cref="FilesDirectory"/> and <see cref="HiddenDirectories"/> itself.
/// </summary>
public sealed record ProcessRuntimeOptions
{
    /// <summary>
    /// Absolute directory holding one folder per instance (state file and logs); the server passes
    /// <c>{dataDir}/process</c>. Required.
    /// </summary>
    public string StateDirectory { get; set; } = "";

    /// <summary>
    /// True when several servers on this host know <see cref="StateDirectory"/> (they share one store), so what is in it is read
    /// from disk every time rather than remembered: the server that leads now may have changed it since this one last looked.
    /// </summary>
    public bool SharedStateDirectory { get; set; }

    /// <summary>How long <see cref="ProcessAgentRuntime.RemoveAsync"/> waits after SIGTERM before SIGKILL. Default 10s.</summary>
    public TimeSpan StopGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Memory-backed (tmpfs) directory where instances' <c>files</c> are written, one owner-only folder per instance named to the
    /// agent in <c>BERTH_FILES_DIR</c>. Default <c>/dev/shm/berth</c>; the server passes one of its own.
    /// </summary>
    public string FilesDirectory { get; set; } = "/dev/shm/berth";

    /// <summary>
    /// Absolute directory outside the data directory holding each instance's private home (its working directory unless
    /// the spec names one, and its <c>HOME</c>). Required; the server passes <c>/var/lib/berth/agents/{server}</c> when it
    /// runs as root, else a folder beside the data directory.
    /// </summary>
    public string AgentsDirectory { get; set; } = "";

    /// <summary>How agents are confined. Default <see cref="ProcessIsolation.Auto"/>: own uids under a root server, else bubblewrap.</summary>
    public ProcessIsolation Isolation { get; set; } = ProcessIsolation.Auto;

    /// <summary>The first uid handed to agents under <see cref="ProcessIsolation.User"/>. Default 1,900,000,000, above any account's.</summary>
    public uint AgentUserBase { get; set; } = 1_900_000_000;

    /// <summary>How many uids agents may take from <see cref="AgentUserBase"/> (one per agent name, never reused). Default 1,000,000.</summary>
    public uint AgentUserCount { get; set; } = 1_000_000;

    /// <summary>More directories a bubblewrap-confined agent must not see (the server passes its data directory).</summary>
    public IList<string> HiddenDirectories { get; } = [];

    /// <summary>
    /// Size at which an instance's stdout or stderr log is rotated (checked every 250 ms while it runs), at least 1 KiB.
    /// Default 10 MiB.
    /// </summary>
    public long LogMaxBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Files kept per log, the one being written included (so 3 keeps it and two rotated copies), at least 1. Default 3.</summary>
    public int LogMaxFiles { get; set; } = 3;
}
