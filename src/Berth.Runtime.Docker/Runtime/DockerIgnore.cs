using System.Text;
using System.Text.RegularExpressions;

namespace Berth.Runtime.Docker.Runtime;

/// <summary>
/// A minimal <c>.dockerignore</c>: one pattern per line with <c>*</c>, <c>?</c> and <c>**</c>, matched against
/// the path relative to the context or any of its parent directories; <c>#</c> comments. Exceptions
/// (<c>!pattern</c>) are not supported and are skipped. The Dockerfile and .dockerignore are always sent.
/// </summary>
internal sealed class DockerIgnore
{
    private readonly List<Regex> _patterns;

    private DockerIgnore(List<Regex> patterns) => _patterns = patterns;

    public static DockerIgnore Parse(IEnumerable<string> lines)
    {
        var patterns = new List<Regex>();
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith('!'))
            {
                continue;
            }

            line = line.TrimStart('/');
            if (line.StartsWith("./", StringComparison.Ordinal))
            {
                line = line[2..];
            }

            line = line.TrimEnd('/');
            if (line.Length > 0)
            {
                patterns.Add(new Regex(ToRegex(line), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
            }
        }

        return new DockerIgnore(patterns);
    }

    public static DockerIgnore Load(string contextDirectory)
    {
        var file = Path.Combine(contextDirectory, ".dockerignore");
        return Parse(File.Exists(file) ? File.ReadAllLines(file) : []);
    }

    /// <summary>True when <paramref name="relativePath"/> ('/'-separated) or one of its parent directories matches a pattern.</summary>
    public bool IsIgnored(string relativePath)
    {
        if (_patterns.Count == 0)
        {
            return false;
        }

        var path = relativePath;
        while (true)
        {
            if (_patterns.Any(p => p.IsMatch(path)))
            {
                return true;
            }

            var slash = path.LastIndexOf('/');
            if (slash <= 0)
            {
                return false;
            }

            path = path[..slash];
        }
    }

    private static string ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                regex.Append(".*");
                i++;
                if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                {
                    regex.Append("/?");
                    i++;
                }
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }

        return regex.Append('$').ToString();
    }
}
