using Berth.Core.Security;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Hosting;

/// <summary>
/// Makes the data directory owner-only at every start: the directory and every directory under it lose their group
/// and other bits (0755 becomes 0700), and so does every file (0644 becomes 0600; the owner's bits, an
/// executable bit included, stay). Data directories written by earlier versions, or copied in with a loose umask,
/// held the database, agent logs and state readable by every local user; new files are created owner-only anyway.
/// </summary>
/// <remarks>
/// Symbolic links are neither followed nor changed: one planted inside must not turn into a chmod of a file elsewhere. <c>secrets.key</c> is left to <see cref="SecretKeySource"/>, which
/// refuses a key others could read: silently fixing it would hide that the key may have leaked.
/// </remarks>
internal static partial class DataDirectoryPermissions
{
    private const int MaxReportedFailures = 5;

    public static void Tighten(string dataDir, ILogger logger)
    {
        if (!Directory.Exists(dataDir))
        {
            OwnerOnly.CreateDirectory(dataDir);
            return;
        }

        // The root first: once it is 0700 no other user can reach what the walk below has not changed yet.
        var root = new DirectoryInfo(dataDir);
        if (root.LinkTarget is null && (root.UnixFileMode & OwnerOnly.GroupOrOther) != 0)
        {
            try
            {
                root.UnixFileMode &= ~OwnerOnly.GroupOrOther;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new BerthServerStartException(
                    $"The data directory {dataDir} is readable by other users (mode {Octal(root.UnixFileMode)}) and the server cannot change that ({ex.Message}); " +
                    $"run 'chmod 700 {dataDir}' as its owner, or give it to the server's user", ex);
            }
        }

        var changed = 0;
        var failures = 0;
        var walk = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var entry in root.EnumerateFileSystemInfos("*", walk))
        {
            if (entry.LinkTarget is not null || IsSecretsKey(entry, dataDir) || (entry.UnixFileMode & OwnerOnly.GroupOrOther) == 0)
            {
                continue;
            }

            try
            {
                entry.UnixFileMode &= ~OwnerOnly.GroupOrOther;
                changed++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                if (++failures <= MaxReportedFailures)
                {
                    LogNotTightened(logger, entry.FullName, ex.Message);
                }
            }
        }

        if (changed > 0)
        {
            LogTightened(logger, changed, dataDir);
        }
    }

    private static bool IsSecretsKey(FileSystemInfo entry, string dataDir) =>
        entry is FileInfo && string.Equals(entry.FullName, Path.Combine(dataDir, SecretKeySource.FileName), StringComparison.Ordinal);

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');

    [LoggerMessage(Level = LogLevel.Warning, Message = "Made {Count} entries in the data directory {DataDir} owner-only (they were readable by other users)")]
    private static partial void LogTightened(ILogger logger, int count, string dataDir);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not make {Path} owner-only ({Reason}); run 'chmod go-rwx {Path}' as its owner")]
    private static partial void LogNotTightened(ILogger logger, string path, string reason);
}
