using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using Berth.Core.Runtime;
using Berth.Core.Specs;

namespace Berth.Runtime.Docker.Runtime;

/// <summary>
/// The files of a Dockerfile build context (after <see cref="DockerIgnore"/>), their content hash, and
/// their tar. The hash covers paths, executable bits and contents, not times, so an unchanged context
/// gives the same image tag after a server restart.
/// </summary>
internal sealed class BuildContext
{
    private BuildContext(string directory, string dockerfile, IReadOnlyList<string> files)
    {
        Directory = directory;
        Dockerfile = dockerfile;
        Files = files;
    }

    public string Directory { get; }

    public string Dockerfile { get; }

    /// <summary>Relative '/'-separated paths, sorted ordinally.</summary>
    public IReadOnlyList<string> Files { get; }

    public static BuildContext Load(string agentName, BuildSpec build)
    {
        if (!Path.IsPathFullyQualified(build.Context) || !System.IO.Directory.Exists(build.Context))
        {
            throw new RuntimeException(
                $"agent '{agentName}': build context '{build.Context}' is not an existing absolute directory: fix spec.build.context",
                RuntimeErrorKind.Config);
        }

        var dockerfile = build.Dockerfile.Replace('\\', '/');
        if (!File.Exists(Path.Combine(build.Context, dockerfile)))
        {
            throw new RuntimeException(
                $"agent '{agentName}': no Dockerfile at '{Path.Combine(build.Context, dockerfile)}': add it or fix spec.build.dockerfile",
                RuntimeErrorKind.Config);
        }

        var ignore = DockerIgnore.Load(build.Context);
        var files = System.IO.Directory
            .EnumerateFiles(build.Context, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(f => Path.GetRelativePath(build.Context, f).Replace('\\', '/'))
            .Where(f => f == dockerfile || f == ".dockerignore" || !ignore.IsIgnored(f))
            .Order(StringComparer.Ordinal)
            .ToList();
        return new BuildContext(build.Context, dockerfile, files);
    }

    /// <summary>A lowercase hex SHA-256 of the Dockerfile name, the paths, executable bits and contents.</summary>
    public async Task<string> HashAsync(CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(Dockerfile + "\0"));
        var buffer = new byte[81920];
        foreach (var file in Files)
        {
            var full = Path.Combine(Directory, file);
            var executable = !OperatingSystem.IsWindows() && (File.GetUnixFileMode(full) & UnixFileMode.UserExecute) != 0;
            hash.AppendData(Encoding.UTF8.GetBytes($"{file}\0{(executable ? 'x' : '-')}\0"));
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

    /// <summary>Writes the context as a tar (files keep their modes; directories are implied).</summary>
    public async Task WriteTarAsync(Stream destination, CancellationToken cancellationToken)
    {
        var writer = new TarWriter(destination, TarEntryFormat.Pax, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            foreach (var file in Files)
            {
                await writer.WriteEntryAsync(Path.Combine(Directory, file), file, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
