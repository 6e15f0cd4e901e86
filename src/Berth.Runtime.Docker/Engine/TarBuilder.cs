using System.Formats.Tar;
using System.Text;

namespace Berth.Runtime.Docker.Engine;

/// <summary>Builds a small tar archive in memory (an image root, a build context, files to copy into a container).</summary>
public sealed class TarBuilder
{
    private readonly List<TarEntry> _entries = [];
    private readonly DateTimeOffset _modified;

    /// <summary>Creates a builder whose entries carry <paramref name="modified"/> (default: the Unix epoch, for reproducible archives).</summary>
    public TarBuilder(DateTimeOffset? modified = null) => _modified = modified ?? DateTimeOffset.UnixEpoch;

    /// <summary>Adds a directory (<c>0755</c> unless told).</summary>
    public TarBuilder AddDirectory(string path, UnixFileMode mode = DefaultDirectoryMode) =>
        Add(new PaxTarEntry(TarEntryType.Directory, Normalize(path, directory: true)) { Mode = mode });

    /// <summary>Adds a file with the given bytes (<c>0644</c> unless told).</summary>
    public TarBuilder AddFile(string path, ReadOnlyMemory<byte> content, UnixFileMode mode = DefaultFileMode) =>
        Add(new PaxTarEntry(TarEntryType.RegularFile, Normalize(path, directory: false))
        {
            Mode = mode,
            DataStream = new MemoryStream(content.ToArray(), writable: false),
        });

    /// <summary>Adds a UTF-8 text file (<c>0644</c> unless told).</summary>
    public TarBuilder AddFile(string path, string content, UnixFileMode mode = DefaultFileMode) =>
        AddFile(path, Encoding.UTF8.GetBytes(content), mode);

    /// <summary>Adds a symbolic link at <paramref name="path"/> pointing at <paramref name="target"/>.</summary>
    public TarBuilder AddSymlink(string path, string target) =>
        Add(new PaxTarEntry(TarEntryType.SymbolicLink, Normalize(path, directory: false)) { LinkName = target, Mode = SymlinkMode });

    /// <summary>Writes the archive to <paramref name="destination"/>.</summary>
    public async Task WriteToAsync(Stream destination, CancellationToken cancellationToken)
    {
        var writer = new TarWriter(destination, TarEntryFormat.Pax, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            foreach (var entry in _entries)
            {
                entry.DataStream?.Seek(0, SeekOrigin.Begin);
                await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Writes the archive to a new memory stream positioned at its start.</summary>
    public async Task<MemoryStream> ToStreamAsync(CancellationToken cancellationToken)
    {
        var stream = new MemoryStream();
        await WriteToAsync(stream, cancellationToken).ConfigureAwait(false);
        stream.Position = 0;
        return stream;
    }

    private const UnixFileMode DefaultDirectoryMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode DefaultFileMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const UnixFileMode SymlinkMode = DefaultDirectoryMode | UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    private TarBuilder Add(PaxTarEntry entry)
    {
        entry.ModificationTime = _modified;
        _entries.Add(entry);
        return this;
    }

    /// <summary>
    /// The entry name: '/'-separated, relative (a leading '/' is dropped), with no '..' segment, so whoever extracts
    /// the archive can only write below the directory they extract into.
    /// </summary>
    private static string Normalize(string path, bool directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var segments = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToList();
        if (segments.Count == 0 || segments.Contains("..") || path.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Tar entry '{path}' must name something below the archive's root: no '..' segments, no NUL, not empty.", nameof(path));
        }

        var name = string.Join('/', segments);
        return directory ? name + "/" : name;
    }
}
