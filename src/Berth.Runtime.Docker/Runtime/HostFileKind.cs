using Berth.Core.Runtime;

namespace Berth.Runtime.Docker.Runtime;

/// <summary>What kind of file a host path is, links followed: .NET tells files from directories but not a socket or a device from a file.</summary>
internal static class HostFileKind
{
    private const int CurrentDirectory = -100;
    private const uint TypeMask = 0x1;
    private const int NoEntry = 2;
    private const int NotADirectory = 20;

    /// <summary>The kind of <paramref name="path"/> as the kernel sees it when mounting it (links followed).</summary>
    public static Kind Of(string path)
    {
        UnixFileStatus? status;
        try
        {
            status = UnixFiles.Status(path, followLinks: true);
        }
        catch (IOException)
        {
            return Kind.Unknown;
        }

        return status?.Type switch
        {
            null => Kind.Missing,
            UnixFileType.Directory => Kind.Directory,
            UnixFileType.Regular => Kind.RegularFile,
            UnixFileType.Socket => Kind.Socket,
            UnixFileType.Fifo => Kind.Fifo,
            UnixFileType.Device => Kind.Device,
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
}
