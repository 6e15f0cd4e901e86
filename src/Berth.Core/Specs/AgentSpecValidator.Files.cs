namespace Berth.Core.Specs;

public static partial class AgentSpecValidator
{
    /// <summary>Most files one agent may ask for: each is a mount (container) or a write at every start.</summary>
    public const int MaximumFiles = 64;

    // The kernel's own trees: a file there would shadow what the agent needs from the kernel.
    private static readonly string[] ReservedContainerRoots = ["/proc", "/sys", "/dev"];

    private static void ValidateFiles(AgentSpec spec, Paths at, List<SpecError> errors)
    {
        // Past the limit the entries are not checked one by one: the spec is refused anyway, and checking them all costs time for nothing.
        if (spec.Files.Count > MaximumFiles)
        {
            errors.Add(new SpecError(at["files"], TooManyFiles(spec.Files.Count)));
            return;
        }

        var inContainer = spec.Kind == AgentKind.Container;
        var paths = spec.Files.Keys.Select(path => path.TrimEnd('/')).ToHashSet(StringComparer.Ordinal);
        var targets = inContainer ? spec.Volumes.Select(v => (v.Target ?? string.Empty).TrimEnd('/')).ToHashSet(StringComparer.Ordinal) : [];
        foreach (var (path, content) in spec.Files)
        {
            var entry = SpecPaths.File(at["files"], path);
            if (FilePathProblem(path, inContainer) is { } problem)
            {
                errors.Add(new SpecError(entry, problem));
                continue;
            }

            // Each ancestor is looked up rather than every other entry compared, so the check stays linear in the entries.
            if (Ancestors(path).FirstOrDefault(paths.Contains) is { } parent)
            {
                errors.Add(new SpecError(entry, $"'{parent}' is a file, so nothing can be inside it; choose another path"));
            }

            if (targets.Contains(path))
            {
                errors.Add(new SpecError(entry, "a volume is mounted at the same path; choose another path"));
            }

            CheckReferences(content, entry, errors);
        }
    }

    /// <summary>The message for a spec with more than <see cref="MaximumFiles"/> files, shared by the YAML reader, which stops reading at the limit.</summary>
    internal static string TooManyFiles(int count) =>
        $"{count} files; at most {MaximumFiles} are allowed (the limit on files entries); put more content in fewer files or mount a volume";

    // "/a/b/c" gives "/a/b" then "/a"; "a/b" gives "a". The path itself is not included.
    private static IEnumerable<string> Ancestors(string path)
    {
        for (var cut = path.LastIndexOf('/'); cut > 0; cut = path.LastIndexOf('/', cut - 1))
        {
            yield return path[..cut];
        }
    }

    private static string? FilePathProblem(string path, bool inContainer)
    {
        var example = inContainer ? "an absolute path inside the container, like /run/secrets/api-key" : "a path relative to BERTH_FILES_DIR, like api-key or conf/app.json";
        if (path.Length == 0 || path.Any(c => c == '\0' || char.IsControl(c)))
        {
            return $"not a valid file path; expected {example}";
        }

        if (inContainer != path.StartsWith('/'))
        {
            return inContainer
                ? $"'{path}' is relative; a container agent's files need {example}"
                : $"'{path}' is absolute; a process agent's files go in its own folder, so expected {example}";
        }

        var segments = (inContainer ? path[1..] : path).Split('/');
        if (segments.Any(s => s is "" or "." or ".."))
        {
            return $"'{path}' has an empty, '.' or '..' part; expected {example}";
        }

        return inContainer && ReservedContainerRoots.Any(root => path == root || path.StartsWith(root + "/", StringComparison.Ordinal))
            ? $"'{path}' is under {string.Join(", ", ReservedContainerRoots)}, which belong to the kernel; choose another path"
            : null;
    }
}
