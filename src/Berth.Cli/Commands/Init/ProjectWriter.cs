namespace Berth.Cli.Commands.Init;

/// <summary>
/// Writes a generated project into its folder. Files are world-readable (0644, scripts 0755) and folders world-traversable
/// (0755) whatever the umask, because a process agent runs the project as its own user. Nothing is written through a link.
/// </summary>
internal static class ProjectWriter
{
    private const UnixFileMode Folder = (UnixFileMode)0b111_101_101;
    private const UnixFileMode Readable = (UnixFileMode)0b110_100_100;
    private const UnixFileMode Executable = (UnixFileMode)0b111_101_101;

    /// <summary>Refuses a target that exists and is not an empty folder (unless <paramref name="force"/>) or is a link.</summary>
    public static void CheckTarget(string folder, bool force)
    {
        var info = new DirectoryInfo(folder);
        if (info.LinkTarget is not null || (!info.Exists && File.Exists(folder)))
        {
            throw new CliException($"{folder} exists and is not a plain folder (a file or a link); choose another name or --dir");
        }

        if (info.Exists && !force && info.EnumerateFileSystemInfos().Any())
        {
            throw new CliException($"{folder} is not empty; choose another name or --dir, or pass --force to overwrite the template's files in it");
        }
    }

    public static void Write(string folder, IEnumerable<(string Path, string Text)> files)
    {
        Directory.CreateDirectory(folder, Folder);
        File.SetUnixFileMode(folder, Folder);
        foreach (var (relative, text) in files)
        {
            var path = Path.Combine(folder, relative);
            if (Path.GetDirectoryName(path) is { } parent && parent != folder)
            {
                Directory.CreateDirectory(parent, Folder);
            }

            if (File.Exists(path) || new FileInfo(path).LinkTarget is not null)
            {
                File.Delete(path); // removes a link itself, never its target
            }

            var mode = relative.EndsWith(".sh", StringComparison.Ordinal) ? Executable : Readable;
            using (var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode }))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(text);
            }

            File.SetUnixFileMode(path, mode);
        }
    }
}
