namespace Berth.Core.Security;

/// <summary>
/// Modes for everything Berth writes under its data directory: only the server's user may read or write it.
/// Files are created with these modes from the start (never briefly readable by others), which is the umask
/// Berth applies to itself without changing the process-wide umask its agents would inherit.
/// </summary>
public static class OwnerOnly
{
    /// <summary><c>0700</c>.</summary>
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary><c>0600</c>.</summary>
    public const UnixFileMode RegularFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Every group and other bit; a mode holding none of them is owner-only.</summary>
    public const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
                                             UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates <paramref name="path"/> (and missing parents) <c>0700</c>; an existing directory keeps its mode.</summary>
    public static void CreateDirectory(string path) => Directory.CreateDirectory(path, DirectoryMode);

    /// <summary>Options that open <paramref name="mode"/> (create, append…) a file for writing, creating it <c>0600</c>.</summary>
    public static FileStreamOptions Write(FileMode mode) => new() { Mode = mode, Access = FileAccess.Write, UnixCreateMode = RegularFileMode };
}
