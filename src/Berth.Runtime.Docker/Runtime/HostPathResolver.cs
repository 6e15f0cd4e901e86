using Berth.Core.Runtime;

namespace Berth.Runtime.Docker.Runtime;

/// <summary>Resolves a host path the way the kernel will when the engine mounts it: every symbolic link in every segment followed.</summary>
internal static class HostPathResolver
{
    // the kernel's own limit on links followed in one lookup
    private const int MaxLinks = 40;

    /// <summary>
    /// The real path of absolute <paramref name="path"/>, like realpath(3) but allowing segments that do not exist yet
    /// (the engine creates a missing bind source), which are kept as written.
    /// </summary>
    /// <exception cref="RuntimeException">A link loop, or a segment the server may not inspect (Config).</exception>
    public static string Resolve(string path)
    {
        var pending = new Stack<string>(Segments(path).Reverse());
        var resolved = new List<string>();
        var links = 0;
        while (pending.TryPop(out var segment))
        {
            if (segment == "..")
            {
                if (resolved.Count > 0)
                {
                    resolved.RemoveAt(resolved.Count - 1);
                }

                continue;
            }

            var candidate = "/" + string.Join('/', resolved.Append(segment));
            var target = LinkTarget(path, candidate);
            if (target is null)
            {
                resolved.Add(segment);
                continue;
            }

            if (++links > MaxLinks)
            {
                throw new RuntimeException($"host path '{path}' has more than {MaxLinks} symbolic links (a loop?); point the volume at a real directory", RuntimeErrorKind.Config);
            }

            if (target.StartsWith('/'))
            {
                resolved.Clear();
            }

            foreach (var part in Segments(target).Reverse())
            {
                pending.Push(part);
            }
        }

        return "/" + string.Join('/', resolved);
    }

    private static IEnumerable<string> Segments(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".");

    private static string? LinkTarget(string path, string candidate)
    {
        try
        {
            return new FileInfo(candidate).LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RuntimeException(
                $"cannot check host path '{path}': {candidate} is not readable by the Berth server ({ex.Message}); make its directories readable by the server's user, or mount another directory",
                RuntimeErrorKind.Config,
                ex);
        }
    }
}
