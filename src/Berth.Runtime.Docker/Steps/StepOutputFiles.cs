using System.Formats.Tar;
using System.Globalization;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Execution;

namespace Berth.Runtime.Docker.Steps;

/// <summary>
/// Collects output files from the engine's archives, in memory. Archives hold untrusted container content: an entry is kept
/// only when it is a regular file (or a hard link to one already kept) whose name stays below the requested path; links are
/// never followed, names with <c>..</c>, <c>.</c> or a leading '/' are skipped, and the total is capped.
/// </summary>
internal sealed class StepOutputFiles(long limit)
{
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private long _total;

    /// <summary>Absolute path in the container → content.</summary>
    public IReadOnlyDictionary<string, byte[]> Files => _files;

    /// <summary>Entries left out because they were not regular files or tried to leave the requested path.</summary>
    public int Skipped { get; private set; }

    /// <summary>The output as an absolute path without a trailing '/', or a Config error.</summary>
    public static string Normalize(string output)
    {
        var segments = output.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (!output.StartsWith('/') || segments.Length == 0 || segments.Any(s => s is "." or "..") || output.Contains('\0', StringComparison.Ordinal))
        {
            throw new StepRunException(ErrorClass.Config, $"output '{output}' must be an absolute path below / without '.' or '..' segments (like /out/result.txt)");
        }

        return "/" + string.Join('/', segments);
    }

    /// <summary>Reads the archive of <paramref name="output"/> (normalized), whose entries are named from its last segment.</summary>
    public async Task AddAsync(string output, Stream archive, CancellationToken cancellationToken)
    {
        var slash = output.LastIndexOf('/');
        var parent = output[..slash];
        var root = output[(slash + 1)..];
        var reader = new TarReader(archive, leaveOpen: true);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                var name = Relative(entry.Name, root);
                if (name is null)
                {
                    Skipped++;
                    continue;
                }

                if (name == root && entry.EntryType == TarEntryType.SymbolicLink)
                {
                    throw new StepRunException(ErrorClass.User, $"output {output} is a symbolic link (to {entry.LinkName}); write the file or directory itself there");
                }

                var path = parent + "/" + name;
                switch (entry.EntryType)
                {
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        _files[path] = await ReadAsync(output, entry, cancellationToken).ConfigureAwait(false);
                        break;
                    case TarEntryType.HardLink when Relative(entry.LinkName, root) is { } target && _files.TryGetValue(parent + "/" + target, out var content):
                        Count(output, content.Length);
                        _files[path] = content;
                        break;
                    case TarEntryType.Directory:
                        break;
                    default:
                        Skipped++;
                        break;
                }
            }
        }
    }

    /// <summary>The entry's name when it lies at or below <paramref name="root"/>; null for anything that could leave it.</summary>
    private static string? Relative(string name, string root)
    {
        if (name.Length == 0 || name.StartsWith('/') || name.Contains('\\', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }

        var segments = name.TrimEnd('/').Split('/');
        if (segments[0] != root || segments.Any(s => s is "" or "." or ".."))
        {
            return null;
        }

        return string.Join('/', segments);
    }

    private async Task<byte[]> ReadAsync(string output, TarEntry entry, CancellationToken cancellationToken)
    {
        Count(output, entry.Length);
        var content = new byte[entry.Length];
        if (entry.DataStream is { } data && content.Length > 0)
        {
            await data.ReadExactlyAsync(content, cancellationToken).ConfigureAwait(false);
        }

        return content;
    }

    private void Count(string output, long length)
    {
        _total += length;
        if (_total > limit)
        {
            throw new StepRunException(
                ErrorClass.User,
                string.Create(CultureInfo.InvariantCulture, $"the step's outputs exceed the limit of {Size(limit)} per step at {output}; write less into the outputs, or compress them"));
        }
    }

    private static string Size(long bytes) => bytes % (1024 * 1024) == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024)} MiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes");
}
