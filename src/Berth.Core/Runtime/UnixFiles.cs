using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Berth.Core.Runtime;

/// <summary>
/// File ownership, which .NET does not expose: statx(2) (one layout on every Linux architecture, unlike stat(2)),
/// lchown(2) and geteuid(2). Used to check that a directory Berth writes secrets into is its own, and to hand an
/// agent's folders to the agent's user.
/// </summary>
public static partial class UnixFiles
{
    private const int CurrentDirectory = -100;
    private const int NoFollow = 0x100;
    private const uint TypeModeOwner = 0x1 | 0x2 | 0x8 | 0x10;
    private const int NotFound = 2;
    private const int NotADirectory = 20;

    /// <summary>The server's effective uid.</summary>
    public static uint EffectiveUserId => GetEffectiveUserId();

    /// <summary>
    /// The status of <paramref name="path"/>; null when nothing is there. A symbolic link at its end is reported as such
    /// unless <paramref name="followLinks"/>. Throws <see cref="IOException"/> when the path cannot be inspected.
    /// </summary>
    public static unsafe UnixFileStatus? Status(string path, bool followLinks = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Span<byte> buffer = stackalloc byte[256];
        fixed (byte* pointer = buffer)
        {
            if (StatX(CurrentDirectory, path, followLinks ? 0 : NoFollow, TypeModeOwner, pointer) != 0)
            {
                var error = Marshal.GetLastPInvokeError();
                return error is NotFound or NotADirectory
                    ? null
                    : throw new IOException($"cannot read the status of {path} (errno {error})");
            }
        }

        var mode = BinaryPrimitives.ReadUInt16LittleEndian(buffer[28..]);
        var type = (mode & 0xF000) switch
        {
            0x8000 => UnixFileType.Regular,
            0x4000 => UnixFileType.Directory,
            0xA000 => UnixFileType.SymbolicLink,
            0xC000 => UnixFileType.Socket,
            0x1000 => UnixFileType.Fifo,
            _ => UnixFileType.Device,
        };
        return new UnixFileStatus(
            BinaryPrimitives.ReadUInt32LittleEndian(buffer[20..]),
            BinaryPrimitives.ReadUInt32LittleEndian(buffer[24..]),
            (UnixFileMode)(mode & 0xFFF),
            type);
    }

    /// <summary>Gives <paramref name="path"/> (never a link's target) to <paramref name="userId"/>:<paramref name="groupId"/>.</summary>
    public static void ChangeOwner(string path, uint userId, uint groupId)
    {
        if (LChown(path, userId, groupId) != 0)
        {
            throw new IOException($"cannot give {path} to uid {userId} (errno {Marshal.GetLastPInvokeError()}); the server must run as root to do so");
        }
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int StatX(int directory, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LChown(string path, uint userId, uint groupId);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();
}
