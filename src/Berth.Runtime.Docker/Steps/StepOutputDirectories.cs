namespace Berth.Runtime.Docker.Steps;

/// <summary>
/// The directories a step's declared outputs are written into, created before the step starts so a command can write
/// <c>/out/x.txt</c> without <c>mkdir -p /out</c> first. An output that ends in '/' or whose last segment has no '.' is a
/// directory (<c>/out</c>, <c>/dist/</c>); one with an extension is a file, and its parent is created (<c>/out/a.txt</c> → <c>/out</c>).
/// </summary>
internal static class StepOutputDirectories
{
    /// <summary>
    /// Scratch directories in a throwaway container: writable by whatever user the image runs as. Only directories the image
    /// lacks are created, so an image's own directories keep their owner and mode.
    /// </summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>The distinct directories for <paramref name="outputs"/>, shallowest first, never <c>/</c>; a Config error for a bad path.</summary>
    public static List<string> For(IEnumerable<string> outputs)
    {
        var directories = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var output in outputs)
        {
            var path = StepOutputFiles.Normalize(output);
            var name = path[(path.LastIndexOf('/') + 1)..];
            var directory = output.EndsWith('/') || !name.Contains('.', StringComparison.Ordinal) ? path : path[..path.LastIndexOf('/')];
            if (directory.Length > 0)
            {
                directories.Add(directory);
            }
        }

        // ordinal order puts /out before /out/sub, so a parent is listed before its children
        return [.. directories];
    }
}
