using Berth.Core.Runtime;

namespace Berth.Runtime.Process.Isolation;

/// <summary>
/// Decides, from owners and permission bits, whether an agent's uid (with its own gid and no other groups) can reach a
/// path: search permission on every directory on the way, read (and execute, for a command) on the file itself. Links are
/// followed the way the kernel follows them. ACLs are not read, so a path only an ACL opens is reported as closed.
/// </summary>
internal static class AgentAccess
{
    private const int MaxLinks = 40;

    /// <summary>The first path on the way to <paramref name="path"/> the agent cannot pass, or null when it can read it.</summary>
    /// <param name="start">The directory a relative <paramref name="path"/> starts from (the agent's working directory, which
    /// the agent is placed in before it loses root, so the directories above it need not be open).</param>
    public static string? FindBlocker(AgentUser user, string path, string start, bool execute)
    {
        var (current, rest) = Path.IsPathFullyQualified(path) ? ("/", path) : (start, path);
        if (!Path.IsPathFullyQualified(path) && !Allows(user, current, UnixFileMode.OtherExecute))
        {
            return current;
        }

        var pending = new Queue<string>(rest.Split('/', StringSplitOptions.RemoveEmptyEntries));
        var links = 0;
        while (pending.TryDequeue(out var part))
        {
            if (part == ".")
            {
                continue;
            }

            var next = part == ".." ? Path.GetDirectoryName(current) ?? "/" : Path.Combine(current, part);
            var status = UnixFiles.Status(next);
            if (status is null)
            {
                return null; // missing: the command resolver names it
            }

            if (status.Value.Type == UnixFileType.SymbolicLink)
            {
                if (++links > MaxLinks || File.ResolveLinkTarget(next, returnFinalTarget: false)?.FullName is not { } target)
                {
                    return next;
                }

                var remaining = pending.ToArray();
                pending = new Queue<string>(target.Split('/', StringSplitOptions.RemoveEmptyEntries).Concat(remaining));
                current = "/";
                continue;
            }

            var last = pending.Count == 0;
            var need = !last ? UnixFileMode.OtherExecute
                : execute ? UnixFileMode.OtherRead | UnixFileMode.OtherExecute
                : status.Value.Type == UnixFileType.Directory ? UnixFileMode.OtherExecute : UnixFileMode.OtherRead;
            if (!Allows(user, status.Value, need))
            {
                return next;
            }

            current = next;
        }

        return null;
    }

    private static bool Allows(AgentUser user, string path, UnixFileMode otherBits) =>
        UnixFiles.Status(path) is { } status && Allows(user, status, otherBits);

    // The kernel picks exactly one class: owner, else group, else other.
    private static bool Allows(AgentUser user, UnixFileStatus status, UnixFileMode otherBits)
    {
        var shift = status.UserId == user.Id ? 6 : status.GroupId == user.GroupId ? 3 : 0;
        var granted = (int)status.Mode >> shift & 0b111;
        return (granted & (int)otherBits) == (int)otherBits;
    }
}
