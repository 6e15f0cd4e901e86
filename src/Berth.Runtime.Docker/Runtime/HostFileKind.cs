using Berth.Core.Runtime;

namespace Berth.Runtime.Docker.Runtime;

/// <summary>Which host files a volume may be: .NET tells files from directories but not a socket or a device from a file.</summary>
internal static class HostFileKind
{
    /// <summary>Why a volume may not mount <paramref name="path"/> (links followed, as the kernel mounts it), or null when it may.</summary>
    public static string? Refusal(string path)
    {
        UnixFileStatus? status;
        try
        {
            status = UnixFiles.Status(path, followLinks: true);
        }
        catch (IOException)
        {
            return "could not be inspected by the Berth server, so it cannot be shown to be an ordinary file or directory";
        }

        return status?.Type switch
        {
            UnixFileType.Socket => "is a unix socket, which would let the agent drive whatever host service listens on it",
            UnixFileType.Device => "is a device, which would give the agent raw access to host hardware or kernel interfaces",
            UnixFileType.Fifo => "is a named pipe, a channel into a host process",
            _ => null, // missing (the engine creates a directory), a directory or a regular file
        };
    }
}
