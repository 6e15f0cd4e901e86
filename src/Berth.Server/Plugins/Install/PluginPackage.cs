using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Berth.Server.Plugins.Install;

/// <summary>
/// Receives a plugin package (a <c>.tar.gz</c>) into a staging folder under <see cref="PluginOptions.Directory"/> and unpacks
/// it, bounded by <c>MaxPackageBytes</c>, <c>MaxUnpackedBytes</c> and <c>MaxFiles</c>. Only regular files and folders are
/// accepted: absolute names, <c>..</c>, links of either kind, devices and FIFOs are refused (a link is refused even when it
/// stays inside, so nothing has to reason about where it leads). Files are written by the server with 0644 (0755 when the
/// tar marks them executable), folders 0755, whatever the tar says, so agents' users can read what a process plugin runs.
/// A package holding a single top-level folder (a GitHub tarball) is read from inside that folder.
/// </summary>
internal sealed class PluginPackage(IOptions<PluginOptions> options)
{
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode ExecutableMode = FileMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
    private const UnixFileMode FolderMode = ExecutableMode | UnixFileMode.UserWrite;
    private const int MaxNameLength = 1024;

    /// <summary>The folder staged packages are unpacked in, under the plugins directory.</summary>
    public string StagingRoot => Path.Combine(options.Value.Directory, ".staging");

    /// <summary>
    /// Reads <paramref name="body"/> into a new staging folder and unpacks it. Returns the staging folder (remove it when done),
    /// the plugin's root inside it and the package's digest. Throws <see cref="PluginPackageException"/> for a package refused.
    /// </summary>
    public async Task<StagedPackage> StageAsync(Stream body, CancellationToken cancellationToken)
    {
        var staging = Path.Combine(StagingRoot, Guid.NewGuid().ToString("N"));
        CreateFolder(options.Value.Directory);
        CreateFolder(StagingRoot);
        CreateFolder(staging);
        try
        {
            var archive = Path.Combine(staging, "package.tar.gz");
            var digest = await ReceiveAsync(body, archive, cancellationToken);
            var unpacked = Path.Combine(staging, "package");
            CreateFolder(unpacked);
            await UnpackAsync(archive, unpacked, cancellationToken);
            File.Delete(archive);
            return new StagedPackage(staging, SingleFolder(unpacked) ?? unpacked, digest);
        }
        catch
        {
            Remove(staging);
            throw;
        }
    }

    /// <summary>Removes a folder and everything in it, quietly when it is already gone.</summary>
    public static void Remove(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Creates a folder (and its parents) readable and searchable by every user, as agents' users must reach plugins' folders.</summary>
    public static void CreateFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder, FolderMode);
            File.SetUnixFileMode(folder, FolderMode); // the umask may have taken bits away
        }
    }

    private async Task<string> ReceiveAsync(Stream body, string archive, CancellationToken cancellationToken)
    {
        var max = options.Value.MaxPackageBytes;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var file = new FileStream(archive, new FileStreamOptions
        {
            Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > max)
            {
                throw new PluginPackageException($"the package is larger than {max} bytes (Berth:Plugins:MaxPackageBytes); leave build outputs and dependencies out of it");
            }

            hash.AppendData(buffer, 0, read);
            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        if (total == 0)
        {
            throw new PluginPackageException("the package is empty; expected a .tar.gz of the plugin's folder (berth plugins install DIR packs one)");
        }

        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private async Task UnpackAsync(string archive, string root, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        long bytes = 0;
        var files = 0;
        await using var compressed = File.OpenRead(archive);
        await using var gzip = new GZipStream(compressed, CompressionMode.Decompress);
        await using var reader = new TarReader(gzip);
        try
        {
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                // Every entry counts, metadata included, so a stream of headers cannot run on unbounded.
                if (++files > limits.MaxFiles)
                {
                    throw new PluginPackageException($"the package holds more than {limits.MaxFiles} entries (Berth:Plugins:MaxFiles)");
                }

                if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
                {
                    continue; // git archive's commit id: metadata, not a file
                }

                var name = Check(entry, root);

                var path = Path.Combine(root, name);
                if (entry.EntryType == TarEntryType.Directory)
                {
                    CreateFolders(root, name);
                    continue;
                }

                bytes += entry.Length;
                if (bytes > limits.MaxUnpackedBytes)
                {
                    throw new PluginPackageException($"the package unpacks to more than {limits.MaxUnpackedBytes} bytes (Berth:Plugins:MaxUnpackedBytes); '{name}' goes past it");
                }

                CreateFolders(root, Path.GetDirectoryName(name) ?? "");
                await WriteAsync(entry, path, name, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new PluginPackageException($"the package is not a readable .tar.gz ({ex.Message}); expected a gzip-compressed tar of the plugin's folder");
        }
    }

    /// <summary>The entry's name, relative and inside <paramref name="root"/>; throws for anything else.</summary>
    private static string Check(TarEntry entry, string root)
    {
        var raw = entry.Name;
        var shown = CallerSafe(raw);
        if (raw.Length == 0 || raw.Length > MaxNameLength || raw.Any(char.IsControl) || raw.Contains('\\', StringComparison.Ordinal))
        {
            throw new PluginPackageException($"entry '{shown}' has a name that is empty, longer than {MaxNameLength} characters, or holds control characters or '\\'");
        }

        if (raw.StartsWith('/'))
        {
            throw new PluginPackageException($"entry '{shown}' has an absolute path; expected paths relative to the plugin's folder");
        }

        var parts = raw.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
        if (parts.Contains(".."))
        {
            throw new PluginPackageException($"entry '{shown}' has a '..' in its path, which would leave the plugin's folder");
        }

        switch (entry.EntryType)
        {
            case TarEntryType.SymbolicLink or TarEntryType.HardLink:
                throw new PluginPackageException($"entry '{shown}' is a {(entry.EntryType == TarEntryType.SymbolicLink ? "symbolic" : "hard")} link to '{CallerSafe(entry.LinkName)}'; links are not accepted in plugin packages, package the file itself");
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile or TarEntryType.Directory:
                break;
            default:
                throw new PluginPackageException($"entry '{shown}' is a {entry.EntryType} entry; only files and folders are accepted (no devices, FIFOs or links)");
        }

        var name = string.Join('/', parts);
        if (name.Length == 0 && entry.EntryType != TarEntryType.Directory)
        {
            throw new PluginPackageException($"entry '{shown}' has no file name");
        }

        if (!Berth.Core.Plugins.PluginManifestReader.IsInside(root, Path.Combine(root, name)))
        {
            throw new PluginPackageException($"entry '{shown}' would leave the plugin's folder");
        }

        return name;
    }

    private static void CreateFolders(string root, string relative)
    {
        var path = root;
        foreach (var part in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            path = Path.Combine(path, part);
            if (File.Exists(path))
            {
                throw new PluginPackageException($"'{CallerSafe(relative)}' is both a file and a folder in the package");
            }

            CreateFolder(path);
        }
    }

    private static async Task WriteAsync(TarEntry entry, string path, string name, CancellationToken cancellationToken)
    {
        var executable = (entry.Mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
        var mode = executable ? ExecutableMode : FileMode;
        FileStream file;
        try
        {
            file = new FileStream(path, new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode });
        }
        catch (IOException)
        {
            throw new PluginPackageException($"entry '{CallerSafe(name)}' appears twice in the package, or is also a folder");
        }

        await using (file)
        {
            if (entry.DataStream is { } data)
            {
                await data.CopyToAsync(file, cancellationToken);
            }
        }

        File.SetUnixFileMode(path, mode);
    }

    /// <summary>The one folder a package holds at its top, when it holds nothing else (a GitHub tarball's <c>repo-sha/</c>).</summary>
    private static string? SingleFolder(string unpacked)
    {
        var entries = Directory.GetFileSystemEntries(unpacked);
        return entries.Length == 1 && Directory.Exists(entries[0]) ? entries[0] : null;
    }

    private static string CallerSafe(string? text)
    {
        text ??= "";
        var safe = new string([.. text.Take(200).Select(c => char.IsControl(c) ? '?' : c)]);
        return text.Length > 200 ? safe + "…" : safe;
    }
}
