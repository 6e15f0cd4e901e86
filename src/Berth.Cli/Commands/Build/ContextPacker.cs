using System.Formats.Tar;
using System.IO.Compression;

namespace Berth.Cli.Commands.Build;

/// <summary>
/// Packs a build folder into a gzip-compressed tar for <c>POST /api/v1/images/build</c>: files, folders and symbolic links as
/// links (never followed, so nothing outside the folder is read), without the top-level <c>.git</c>. The server applies
/// .dockerignore when it builds, as <c>docker build</c> does.
/// </summary>
internal static class ContextPacker
{
    /// <summary>Writes <paramref name="directory"/>'s tar.gz to a delete-on-close temporary file, positioned at its start.</summary>
    public static async Task<FileStream> PackAsync(string directory, CancellationToken cancellationToken)
    {
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await using (var gzip = new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true))
            await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
            {
                await AddAsync(tar, directory, "", cancellationToken);
            }

            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    private static async Task AddAsync(TarWriter tar, string root, string relative, CancellationToken cancellationToken)
    {
        var folder = relative.Length == 0 ? root : Path.Combine(root, relative);
        foreach (var path in Directory.EnumerateFileSystemEntries(folder).Order(StringComparer.Ordinal))
        {
            var name = relative.Length == 0 ? Path.GetFileName(path) : $"{relative}/{Path.GetFileName(path)}";
            if (name == ".git")
            {
                continue;
            }

            var info = new FileInfo(path);
            var isDirectory = Directory.Exists(path) && info.LinkTarget is null;
            await tar.WriteEntryAsync(path, isDirectory ? name + "/" : name, cancellationToken);
            if (isDirectory)
            {
                await AddAsync(tar, root, name, cancellationToken);
            }
        }
    }
}
