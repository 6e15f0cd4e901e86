using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using Berth.Core.Runtime;
using Berth.Core.Specs;

namespace Berth.Runtime.Docker.Runtime;

/// <summary>
/// The files of a Dockerfile build context (after <see cref="DockerIgnore"/>), their content hash, and
/// their tar. The hash covers paths, executable bits, contents and link targets, not times, so an
/// unchanged context gives the same image tag after a server restart.
/// </summary>
/// <remarks>
/// Symbolic links are never followed: a link is sent as a link (as the Docker CLI does), and the
/// directories behind a directory link are not walked. A link in the context that points at
/// <c>/etc/passwd</c> or <c>..</c> therefore carries only its target's name, never the content of a
/// file outside the context; the engine resolves links inside the context when it copies them.
/// </remarks>
internal sealed class BuildContext
{
    private readonly IReadOnlyList<Entry> _entries;

    private BuildContext(string directory, string dockerfile, IReadOnlyList<Entry> entries)
    {
        Directory = directory;
        Dockerfile = dockerfile;
        _entries = entries;
    }

    public string Directory { get; }

    public string Dockerfile { get; }

    /// <summary>Relative '/'-separated paths of the files and links sent, sorted ordinally.</summary>
    public IReadOnlyList<string> Files => [.. _entries.Select(e => e.Path)];

    /// <summary>The symbolic links sent, by relative path, with the target each one names (never followed).</summary>
    public IReadOnlyDictionary<string, string> Links =>
        _entries.Where(e => e.LinkTarget is not null).ToDictionary(e => e.Path, e => e.LinkTarget!, StringComparer.Ordinal);

    public static BuildContext Load(string agentName, BuildSpec build)
    {
        if (!Path.IsPathFullyQualified(build.Context) || !System.IO.Directory.Exists(build.Context))
        {
            throw ConfigError(agentName, $"build context '{build.Context}' is not an existing absolute directory: fix spec.build.context");
        }

        var dockerfile = string.Join('/', build.Dockerfile.Replace('\\', '/').Split('/').Where(s => s is not ("" or ".")));
        if (Path.IsPathRooted(build.Dockerfile) || !IsContained(dockerfile))
        {
            throw ConfigError(agentName, $"spec.build.dockerfile '{build.Dockerfile}' must be a path inside the build context, without '..': move the Dockerfile into '{build.Context}'");
        }

        if (!File.Exists(Path.Combine(build.Context, dockerfile)))
        {
            throw ConfigError(agentName, $"no Dockerfile at '{Path.Combine(build.Context, dockerfile)}': add it or fix spec.build.dockerfile");
        }

        var ignoreFile = new FileInfo(Path.Combine(build.Context, ".dockerignore"));
        if (ignoreFile.Exists && ignoreFile.LinkTarget is not null)
        {
            throw ConfigError(agentName, $"'{ignoreFile.FullName}' is a symbolic link: make .dockerignore a regular file in the build context");
        }

        var ignore = DockerIgnore.Load(build.Context);
        return new BuildContext(build.Context, dockerfile, Walk(build.Context, dockerfile, ignore));
    }

    /// <summary>A lowercase hex SHA-256 of the Dockerfile name, the paths, executable bits, contents and link targets.</summary>
    public async Task<string> HashAsync(CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(Dockerfile + "\0"));
        var buffer = new byte[81920];
        foreach (var entry in _entries)
        {
            if (entry.LinkTarget is { } target)
            {
                hash.AppendData(Encoding.UTF8.GetBytes($"{entry.Path}\0l\0{target}\0"));
                continue;
            }

            var full = Path.Combine(Directory, entry.Path);
            var executable = !OperatingSystem.IsWindows() && (File.GetUnixFileMode(full) & UnixFileMode.UserExecute) != 0;
            hash.AppendData(Encoding.UTF8.GetBytes($"{entry.Path}\0{(executable ? 'x' : '-')}\0"));
            var stream = File.OpenRead(full);
            await using (stream.ConfigureAwait(false))
            {
                hash.AppendData(BitConverter.GetBytes(stream.Length));
                int read;
                while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                }
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Writes the context as a tar: files keep their modes, links stay links; directories are implied.</summary>
    public async Task WriteTarAsync(Stream destination, CancellationToken cancellationToken)
    {
        var writer = new TarWriter(destination, TarEntryFormat.Pax, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            foreach (var entry in _entries)
            {
                if (entry.LinkTarget is { } target)
                {
                    var link = new PaxTarEntry(TarEntryType.SymbolicLink, entry.Path) { LinkName = target, ModificationTime = DateTimeOffset.UnixEpoch };
                    await writer.WriteEntryAsync(link, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await writer.WriteEntryAsync(Path.Combine(Directory, entry.Path), entry.Path, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Lists files and links under <paramref name="root"/> without ever following a link.</summary>
    private static List<Entry> Walk(string root, string dockerfile, DockerIgnore ignore)
    {
        bool Sent(string relative) => relative == dockerfile || relative == ".dockerignore" || !ignore.IsIgnored(relative);

        var entries = new List<Entry>();
        var pending = new Stack<DirectoryInfo>();
        pending.Push(new DirectoryInfo(root));
        var options = new EnumerationOptions { AttributesToSkip = 0, RecurseSubdirectories = false, IgnoreInaccessible = false };
        while (pending.TryPop(out var directory))
        {
            foreach (var info in directory.EnumerateFileSystemInfos("*", options))
            {
                var relative = Path.GetRelativePath(root, info.FullName).Replace('\\', '/');
                if (!IsContained(relative))
                {
                    continue;
                }

                if (info.LinkTarget is { } target)
                {
                    if (Sent(relative))
                    {
                        entries.Add(new Entry(relative, target));
                    }
                }
                else if (info is DirectoryInfo subdirectory)
                {
                    if (Sent(relative) || dockerfile.StartsWith(relative + "/", StringComparison.Ordinal))
                    {
                        pending.Push(subdirectory);
                    }
                }
                else if (Sent(relative))
                {
                    entries.Add(new Entry(relative, null));
                }
            }
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return entries;
    }

    /// <summary>True for a relative '/'-separated path with no empty, '.' or '..' segment: it names something inside the context.</summary>
    private static bool IsContained(string relative) =>
        relative.Length > 0 && !Path.IsPathRooted(relative) && !relative.Contains('\0', StringComparison.Ordinal) &&
        relative.Split('/').All(segment => segment is not ("" or "." or ".."));

    private static RuntimeException ConfigError(string agentName, string message) =>
        new($"agent '{agentName}': {message}", RuntimeErrorKind.Config);

    private sealed record Entry(string Path, string? LinkTarget);
}
