using Berth.Core.Security;

namespace Berth.Core.Runtime;

/// <summary>
/// Writes the files an instance's spec asks for (<see cref="InstanceLaunch.Files"/>) into one folder per instance
/// under a memory-backed root, so resolved secret values never reach a disk. The root must be the server user's own
/// directory (one another user created first, or a link, is refused: its owner could read or swap the secrets) and is kept
/// 0711, so an agent's user can reach its own folder but list nobody's; each folder is owner-only, or readable by one agent's
/// group. A root that is not on tmpfs or ramfs is refused rather than used.
/// </summary>
public sealed class InstanceFileArea
{
    private const string Setting = "Berth:FilesDirectory";
    private const UnixFileMode GroupReadableDirectory = OwnerOnly.DirectoryMode | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;
    private const UnixFileMode RootMode = OwnerOnly.DirectoryMode | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
    private static readonly string[] MemoryFileSystems = ["tmpfs", "ramfs"];

    private readonly string _root;

    /// <summary>Creates the area rooted at <paramref name="root"/>, an absolute directory on tmpfs such as <c>/dev/shm/berth-{server}</c>.</summary>
    public InstanceFileArea(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        if (!Path.IsPathFullyQualified(root))
        {
            throw new ArgumentException($"the files directory must be an absolute path, not '{root}'", nameof(root));
        }

        _root = Path.TrimEndingDirectorySeparator(root);
    }

    /// <summary>The folder that holds the instance's files (it may not exist).</summary>
    public string FolderOf(string instanceId) => Path.Combine(_root, InstanceIds.CheckSafe(instanceId));

    /// <summary>
    /// Writes every file to <c>{folder}/{name}</c>, replacing earlier contents in place (a running container's bind mount keeps
    /// seeing the same file), and returns the folder. <paramref name="files"/> maps a relative name (<c>0</c>,
    /// <c>conf/app.json</c>) to its bytes. With <paramref name="readerGroupId"/>, the folder and files also become readable by
    /// that group (an agent's own user), never writable by it. Throws a Config <see cref="RuntimeException"/> when the root is
    /// not memory-backed or not the server's own.
    /// </summary>
    public string Write(string instanceId, IReadOnlyDictionary<string, byte[]> files, UnixFileMode fileMode, uint? readerGroupId = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        EnsureRoot();
        var folder = FolderOf(instanceId);
        EnsureFolder(folder, readerGroupId);
        foreach (var (name, content) in files)
        {
            var path = Path.GetFullPath(Path.Combine(folder, name));
            if (!path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new ArgumentException($"file name '{name}' leaves the instance's folder", nameof(files));
            }

            for (var parent = Path.GetDirectoryName(path)!; parent.Length > folder.Length; parent = Path.GetDirectoryName(parent)!)
            {
                EnsureFolder(parent, readerGroupId);
            }

            WriteInPlace(path, content, readerGroupId is null ? fileMode : fileMode | UnixFileMode.GroupRead, readerGroupId);
        }

        return folder;
    }

    /// <summary>Deletes the instance's folder and everything in it; nothing happens when it does not exist.</summary>
    public void Delete(string instanceId)
    {
        var folder = FolderOf(instanceId);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void EnsureFolder(string folder, uint? readerGroupId)
    {
        OwnedDirectory.Ensure(folder, readerGroupId is null ? OwnerOnly.DirectoryMode : GroupReadableDirectory, Setting);
        if (readerGroupId is { } group)
        {
            UnixFiles.ChangeOwner(folder, UnixFiles.EffectiveUserId, group);
        }
    }

    private static void WriteInPlace(string path, byte[] content, UnixFileMode mode, uint? readerGroupId)
    {
        // Only the server's user can create entries in its folders, so an existing entry is its own; a link or special file
        // there would still be refused rather than followed.
        if (UnixFiles.Status(path) is { } existing && (existing.Type != UnixFileType.Regular || existing.UserId != UnixFiles.EffectiveUserId))
        {
            throw new RuntimeException($"{path} is not a regular file of the server's user; remove it", RuntimeErrorKind.Config);
        }

        // created with its final mode, never briefly readable by others; an existing file keeps its inode
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.Write,
            UnixCreateMode = mode | UnixFileMode.UserWrite,
        });
        stream.SetLength(0);
        stream.Write(content);
        File.SetUnixFileMode(stream.SafeFileHandle, mode);
        if (readerGroupId is { } group)
        {
            UnixFiles.ChangeOwner(path, UnixFiles.EffectiveUserId, group);
        }
    }

    private void EnsureRoot()
    {
        OwnedDirectory.Ensure(_root, RootMode, Setting);

        var format = new DriveInfo(_root).DriveFormat;
        if (!MemoryFileSystems.Contains(format, StringComparer.Ordinal))
        {
            throw new RuntimeException(
                $"the files directory {_root} is on {format}, not in memory, so secret files would reach a disk; set Berth:FilesDirectory to a directory on tmpfs (such as /dev/shm/berth)",
                RuntimeErrorKind.Config);
        }
    }
}
