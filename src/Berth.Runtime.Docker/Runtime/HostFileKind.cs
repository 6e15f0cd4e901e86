using System.Runtime.InteropServices;

namespace Berth.Runtime.Docker.Runtime;

/// <summary>What kind of file a host path is, links followed: .NET tells files from directories but not a socket or a device from a file.</summary>
internal static partial class HostFileKind
{
    private const int CurrentDirectory = -100;
    private const uint TypeMask = 0x1;
    private const int NoEntry = 2;
    private const int NotADirectory = 20;

    /// <summary>The kind of <paramref name="path"/> as the kernel sees it when mounting it (links followed).</summary>
    public static Kind Of(string path)
    {
        if (Statx(CurrentDirectory, path, 0, TypeMask, out var status) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            return error is NoEntry or NotADirectory ? Kind.Missing : Kind.Unknown;
        }

        return (status.Mode & 0xF000) switch
        {
            0x4000 => Kind.Directory,
            0x8000 => Kind.RegularFile,
            0xC000 => Kind.Socket,
            0x1000 => Kind.Fifo,
            0x2000 or 0x6000 => Kind.Device,
            _ => Kind.Unknown,
        };
    }

    /// <summary>Why a volume may not be a file of <paramref name="kind"/>, or null when it may.</summary>
    public static string? Refusal(Kind kind) => kind switch
    {
        Kind.Socket => "is a unix socket, which would let the agent drive whatever host service listens on it",
        Kind.Device => "is a device, which would give the agent raw access to host hardware or kernel interfaces",
        Kind.Fifo => "is a named pipe, a channel into a host process",
        Kind.Unknown => "could not be inspected by the Berth server, so it cannot be shown to be an ordinary file or directory",
        _ => null,
    };

    // statx(2): its struct has the same layout on every architecture, unlike stat(2)'s
    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, out StatxBuffer buffer);

    /// <summary>The kinds a volume source can be.</summary>
    public enum Kind
    {
        /// <summary>Nothing there yet (the engine creates a directory).</summary>
        Missing,

        Directory,

        RegularFile,

        Socket,

        Device,

        Fifo,

        /// <summary>Not inspectable (permissions) or of a kind unknown here.</summary>
        Unknown,
    }

    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        // stx_mode follows stx_mask, stx_blksize, stx_attributes, stx_nlink, stx_uid and stx_gid
        [FieldOffset(28)]
        public ushort Mode;
    }
}
