namespace Berth.Core.Runtime;

/// <summary>What <see cref="UnixFiles.Status"/> read of a path, without following a symbolic link at its end.</summary>
/// <param name="UserId">The owner's uid.</param>
/// <param name="GroupId">The owner group's gid.</param>
/// <param name="Mode">The permission bits.</param>
/// <param name="Type">The file's type.</param>
public readonly record struct UnixFileStatus(uint UserId, uint GroupId, UnixFileMode Mode, UnixFileType Type);
