namespace Berth.Core.Specs;

/// <summary>
/// Which host paths a volume may bind-mount, judged by name. Never the engine sockets (any path ending in
/// <c>docker.sock</c> or <c>podman.sock</c>), <c>/</c>, the host's runtime state (<c>/run</c>, <c>/var/run</c>: the
/// sockets of the engine, containerd and system services), its programs and libraries (<c>/usr</c>, <c>/bin</c>,
/// <c>/sbin</c>, <c>/lib*</c>), <c>/etc</c>, <c>/proc</c>, <c>/sys</c>, <c>/dev</c>, <c>/boot</c>, <c>/root</c>,
/// <c>/var/lib/docker</c>, <c>/var/lib/containerd</c>, anything under them, nor a directory that contains one of them
/// (<c>/var</c> holds the Docker socket); the same for the protected paths a caller adds, such as the server's data
/// directory. The server also checks the real path, links followed, and refuses sockets and other special files there.
/// </summary>
public static class HostPathPolicy
{
    private const string EngineControl = "would give the agent control of the Docker engine";
    private const string RuntimeState = "would expose the host's runtime state (the sockets of the container engine, containerd and system services)";
    private const string HostPrograms = "would expose the host's programs and libraries (and let a writable mount change them)";

    private static readonly ProtectedEntry[] BuiltIn =
    [
        new("/var/run/docker.sock", EngineControl),
        new("/run/docker.sock", EngineControl),
        new("/run/podman/podman.sock", "would give the agent control of the Podman engine"),
        new("/run/containerd/containerd.sock", "would give the agent control of containerd"),
        new("/run", RuntimeState),
        new("/var/run", RuntimeState),
        new("/etc", "would expose the host's system configuration"),
        new("/usr", HostPrograms),
        new("/bin", HostPrograms),
        new("/sbin", HostPrograms),
        new("/proc", "would expose the host's processes and kernel interfaces"),
        new("/sys", "would expose the host's kernel and device settings"),
        new("/dev", "would expose the host's devices"),
        new("/boot", "would expose the host's kernel and boot files"),
        new("/root", "would expose the home directory of the host's root user"),
        new("/var/lib/docker", "would expose the Docker engine's own storage"),
        new("/var/lib/containerd", "would expose containerd's own storage"),
    ];

    /// <summary>The protected entry for a Berth data directory, which holds tokens, the secrets key and the database.</summary>
    public static ProtectedHostPath DataDirectory(string path) =>
        new(path, "Berth's data directory (tokens, secrets key and database)");

    /// <summary>
    /// <paramref name="path"/> absolute with empty and <c>.</c> segments and trailing slashes removed; false for a
    /// relative path or one with a <c>..</c> segment, which are refused rather than resolved.
    /// </summary>
    public static bool TryNormalize(string path, out string normalized)
    {
        ArgumentNullException.ThrowIfNull(path);
        normalized = string.Empty;
        if (!path.StartsWith('/'))
        {
            return false;
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToList();
        if (segments.Contains(".."))
        {
            return false;
        }

        normalized = "/" + string.Join('/', segments);
        return true;
    }

    /// <summary>Why mounting the host path <paramref name="path"/> is refused, or null when it is allowed.</summary>
    /// <param name="path">Absolute host path; a relative one or one with <c>..</c> is refused.</param>
    /// <param name="protectedPaths">Further paths to protect, like the server's data directory. Default none.</param>
    public static string? Check(string path, IEnumerable<ProtectedHostPath>? protectedPaths = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!TryNormalize(path, out var normalized))
        {
            return $"'{path}' is not a plain absolute path; expected a path like /srv/data, without '..'";
        }

        if (normalized == "/")
        {
            return "mounting / would expose the whole host filesystem; it is never allowed";
        }

        var name = normalized[(normalized.LastIndexOf('/') + 1)..];
        if (name.EndsWith("docker.sock", StringComparison.Ordinal))
        {
            return $"mounting {normalized} {EngineControl}; it is never allowed";
        }

        if (name.EndsWith("podman.sock", StringComparison.Ordinal))
        {
            return $"mounting {normalized} would give the agent control of the Podman engine; it is never allowed";
        }

        // /lib, /lib32, /lib64, /libx32 and whatever else a distribution keeps libraries in at the top
        var top = normalized.Split('/')[1];
        if (top.StartsWith("lib", StringComparison.Ordinal))
        {
            var where = normalized == "/" + top ? string.Empty : $" (it is inside /{top})";
            return $"mounting {normalized} {HostPrograms}{where}; it is never allowed";
        }

        var entries = BuiltIn.Concat((protectedPaths ?? []).Select(p => new ProtectedEntry(p.Path, $"would expose {p.Holds}")));
        foreach (var entry in entries)
        {
            if (!TryNormalize(entry.Path, out var protectedPath) || protectedPath == "/")
            {
                continue;
            }

            if (IsWithin(normalized, protectedPath))
            {
                var where = normalized == protectedPath ? string.Empty : $" (it is inside {protectedPath})";
                return $"mounting {normalized} {entry.Effect}{where}; it is never allowed";
            }

            if (IsWithin(protectedPath, normalized))
            {
                return $"mounting {normalized} would also mount {protectedPath}, which {entry.Effect}; it is never allowed, mount a narrower directory";
            }
        }

        return null;
    }

    private static bool IsWithin(string path, string directory) =>
        path == directory || path.StartsWith(directory + "/", StringComparison.Ordinal);

    private sealed record ProtectedEntry(string Path, string Effect);
}
