namespace Berth.Core.Runtime;

/// <summary>
/// Creates, or accepts, a directory only when the server's own user owns it and it is a real directory, never a symbolic
/// link: a directory another local user created first (in <c>/dev/shm</c> or <c>/tmp</c>, say) would let that user read or
/// swap what the server writes into it.
/// </summary>
public static class OwnedDirectory
{
    /// <summary>
    /// Makes sure <paramref name="path"/> is a directory the server's user owns with exactly <paramref name="mode"/>; throws a
    /// Config <see cref="RuntimeException"/> naming the path when it belongs to someone else or is not a directory.
    /// </summary>
    public static void Ensure(string path, UnixFileMode mode, string setting)
    {
        try
        {
            Directory.CreateDirectory(path, mode);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RuntimeException($"cannot create {path} ({ex.Message}); set {setting} to a directory the server's user may create", RuntimeErrorKind.Config, ex);
        }

        var status = UnixFiles.Status(path);
        if (status is not { Type: UnixFileType.Directory } directory)
        {
            throw new RuntimeException(
                $"{path} is {Describe(status)}, not a directory; remove it, or set {setting} to another path",
                RuntimeErrorKind.Config);
        }

        if (directory.UserId != UnixFiles.EffectiveUserId)
        {
            throw new RuntimeException(
                $"{path} belongs to uid {directory.UserId}, not to the server's uid {UnixFiles.EffectiveUserId}; another user may have created it to read what Berth writes there: remove it, or set {setting} to another path",
                RuntimeErrorKind.Config);
        }

        if (directory.Mode != mode)
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    private static string Describe(UnixFileStatus? status) => status?.Type switch
    {
        null => "missing",
        UnixFileType.SymbolicLink => "a symbolic link",
        UnixFileType.Regular => "a file",
        UnixFileType.Socket => "a unix socket",
        UnixFileType.Fifo => "a named pipe",
        _ => "a device",
    };
}
