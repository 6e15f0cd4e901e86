namespace Berth.Core.Specs;

/// <summary>The Linux capability names a spec may grant, as listed in capabilities(7).</summary>
public static class LinuxCapabilities
{
    /// <summary>Every capability name, upper case, without the <c>CAP_</c> prefix.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP",
        "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
        "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE",
        "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
        "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF",
        "CHECKPOINT_RESTORE",
    ];

    private static readonly HashSet<string> Known = new(Names, StringComparer.Ordinal);

    /// <summary>The canonical form of <paramref name="name"/>: trimmed, upper case, <c>CAP_</c> removed (<c>cap_net_raw</c> gives <c>NET_RAW</c>).</summary>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var upper = name.Trim().ToUpperInvariant();
        return upper.StartsWith("CAP_", StringComparison.Ordinal) ? upper[4..] : upper;
    }

    /// <summary>Whether <paramref name="name"/> names a Linux capability, in any case, with or without <c>CAP_</c>.</summary>
    public static bool IsKnown(string name) => Known.Contains(Normalize(name));
}
