namespace Berth.Core.Runtime;

/// <summary>The type of a file as the kernel reports it (the <c>S_IFMT</c> bits).</summary>
public enum UnixFileType
{
    /// <summary>A regular file.</summary>
    Regular,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A symbolic link (never followed by <see cref="UnixFiles.Status"/>).</summary>
    SymbolicLink,

    /// <summary>A unix socket.</summary>
    Socket,

    /// <summary>A named pipe (FIFO).</summary>
    Fifo,

    /// <summary>A character or block device.</summary>
    Device,
}
