namespace Berth.Core.Runtime;

/// <summary>
/// Writes the files an instance's spec asks for (<see cref="InstanceLaunch.Files"/>) into one folder per instance
/// under a memory-backed root, so resolved secret values never reach a disk. The root is created owner-only (0700),
/// and a root that is not on tmpfs or ramfs is refused rather than used.
/// </summary>
public sealed class InstanceFileArea
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
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
    /// <c>conf/app.json</c>) to its bytes. Throws a Config <see cref="RuntimeException"/> when the root is not memory-backed.
    /// </summary>
    public string Write(string instanceId, IReadOnlyDictionary<string, byte[]> files, UnixFileMode fileMode)
    {
        ArgumentNullException.ThrowIfNull(files);
        EnsureRoot();
        var folder = FolderOf(instanceId);
        Directory.CreateDirectory(folder, OwnerOnlyDirectory);
        foreach (var (name, content) in files)
        {
            var path = Path.GetFullPath(Path.Combine(folder, name));
            if (!path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new ArgumentException($"file name '{name}' leaves the instance's folder", nameof(files));
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!, OwnerOnlyDirectory);
            WriteInPlace(path, content, fileMode);
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

    private static void WriteInPlace(string path, byte[] content, UnixFileMode mode)
    {
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
    }

    private void EnsureRoot()
    {
        try
        {
            Directory.CreateDirectory(_root, OwnerOnlyDirectory);
            File.SetUnixFileMode(_root, OwnerOnlyDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RuntimeException(
                $"cannot use the files directory {_root} ({ex.Message}); set Berth:FilesDirectory to a tmpfs directory the server's user owns",
                RuntimeErrorKind.Config,
                ex);
        }

        var format = new DriveInfo(_root).DriveFormat;
        if (!MemoryFileSystems.Contains(format, StringComparer.Ordinal))
        {
            throw new RuntimeException(
                $"the files directory {_root} is on {format}, not in memory, so secret files would reach a disk; set Berth:FilesDirectory to a directory on tmpfs (such as /dev/shm/berth)",
                RuntimeErrorKind.Config);
        }
    }
}
