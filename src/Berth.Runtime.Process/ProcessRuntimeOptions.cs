namespace Berth.Runtime.Process;

/// <summary>Settings of the <c>process</c> runtime driver.</summary>
public sealed record ProcessRuntimeOptions
{
    /// <summary>
    /// Absolute directory holding one folder per instance (state file and logs); the server passes
    /// <c>{dataDir}/process</c>. Required.
    /// </summary>
    public string StateDirectory { get; set; } = "";

    /// <summary>How long <see cref="ProcessAgentRuntime.RemoveAsync"/> waits after SIGTERM before SIGKILL. Default 10s.</summary>
    public TimeSpan StopGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Memory-backed (tmpfs) directory where instances' <c>files</c> are written, one owner-only folder per instance named to the
    /// agent in <c>BERTH_FILES_DIR</c>. Default <c>/dev/shm/berth</c>; the server passes one of its own.
    /// </summary>
    public string FilesDirectory { get; set; } = "/dev/shm/berth";

    /// <summary>
    /// Size at which an instance's stdout or stderr log is rotated (checked every 250 ms while it runs), at least 1 KiB.
    /// Default 10 MiB.
    /// </summary>
    public long LogMaxBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Files kept per log, the one being written included (so 3 keeps it and two rotated copies), at least 1. Default 3.</summary>
    public int LogMaxFiles { get; set; } = 3;
}
