using System.Formats.Tar;
using System.IO.Compression;

namespace Berth.Server.Images;

/// <summary>
/// Unpacks an uploaded build context (a gzip-compressed tar) into a fresh folder, refusing anything that could leave it or
/// exhaust the disk: names with a '..' segment, an absolute path, a backslash or a control character; entries other than
/// folders, regular files and symbolic links (links are recreated as links and never followed); more than
/// <see cref="MaximumEntries"/> entries or <see cref="MaximumUnpackedBytes"/> bytes unpacked.
/// </summary>
internal static class ContextArchive
{
    /// <summary>Most entries unpacked: 50,000.</summary>
    public const int MaximumEntries = 50_000;

    /// <summary>Most bytes unpacked: 1 GiB (the upload itself is bounded by <c>Berth:Limits:MaxRequestBodyBytes</c>).</summary>
    public const long MaximumUnpackedBytes = 1024L * 1024 * 1024;

    /// <summary>Unpacks <paramref name="gzipTar"/> into <paramref name="directory"/> (which exists and is empty); throws <see cref="InvalidDataException"/> saying what is wrong.</summary>
    public static async Task UnpackAsync(Stream gzipTar, string directory, CancellationToken cancellationToken)
    {
        await using var gzip = new GZipStream(gzipTar, CompressionMode.Decompress, leaveOpen: true);
        await using var reader = new TarReader(gzip, leaveOpen: true);
        var entries = 0;
        long unpacked = 0;
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            if (++entries > MaximumEntries)
            {
                throw new InvalidDataException($"the context holds more than {MaximumEntries} entries; add a .dockerignore or build a smaller folder");
            }

            var relative = SafeName(entry.Name);
            if (relative is null)
            {
                continue;
            }

            var target = Path.Combine(directory, relative);
            RefuseLinkOnTheWay(directory, relative, entry.Name);
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(target);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                    unpacked += entry.Length;
                    if (unpacked > MaximumUnpackedBytes)
                    {
                        throw new InvalidDataException($"the context unpacks to more than {MaximumUnpackedBytes / (1024 * 1024)} MiB; add a .dockerignore or build a smaller folder");
                    }

                    await WriteFileAsync(entry, target, cancellationToken);
                    break;
                case TarEntryType.SymbolicLink:
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.CreateSymbolicLink(target, entry.LinkName);
                    break;
                default:
                    throw new InvalidDataException($"'{Printable(entry.Name)}' is a {entry.EntryType} entry; a build context holds only folders, files and symbolic links");
            }
        }
    }

    private static async Task WriteFileAsync(TarEntry entry, string target, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var file = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
        await using (file)
        {
            if (entry.DataStream is { } data)
            {
                await data.CopyToAsync(file, cancellationToken);
            }
        }

        // Only the permission bits the build can use: executable or not, never set-id.
        var executable = (entry.Mode & UnixFileMode.UserExecute) != 0;
        File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead |
            (executable ? UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute : 0));
    }

    // An earlier entry may have made "a" a link to /etc: "a/passwd" must not be written through it.
    private static void RefuseLinkOnTheWay(string directory, string relative, string name)
    {
        var path = directory;
        foreach (var segment in relative.Split(Path.DirectorySeparatorChar))
        {
            path = Path.Combine(path, segment);
            if (new FileInfo(path).LinkTarget is not null)
            {
                throw new InvalidDataException($"'{Printable(name)}' lies under or replaces a symbolic link in the context; send each link once, and nothing beneath it");
            }
        }
    }

    /// <summary>The entry's path relative to the context ('/'-separated), null for the context's own root, or an error when it could lead outside.</summary>
    private static string? SafeName(string name)
    {
        if (name.Length > 4096 || name.Any(c => char.IsControl(c) || c == '\\') || name.StartsWith('/'))
        {
            throw new InvalidDataException($"'{Printable(name)}' is not a relative path inside the context (absolute, too long, a backslash or a control character)");
        }

        var segments = name.Split('/').Where(s => s is not ("" or ".")).ToList();
        if (segments.Any(s => s == ".."))
        {
            throw new InvalidDataException($"'{Printable(name)}' has a '..' segment, which would lead outside the context");
        }

        return segments.Count == 0 ? null : Path.Combine([.. segments]);
    }

    private static string Printable(string text) =>
        new((text.Length > 100 ? text[..100] : text).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
