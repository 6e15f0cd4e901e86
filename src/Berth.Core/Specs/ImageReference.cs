using System.Text.RegularExpressions;

namespace Berth.Core.Specs;

/// <summary>A plausibility check of image references (<c>[host[:port]/]path[:tag][@digest]</c>), close to Docker's grammar.</summary>
internal static partial class ImageReference
{
    public static bool IsPlausible(string? reference)
    {
        if (string.IsNullOrEmpty(reference) || reference.Length > 255)
        {
            return false;
        }

        var rest = reference;
        var digestAt = rest.IndexOf('@', StringComparison.Ordinal);
        if (digestAt >= 0)
        {
            if (!Digest().IsMatch(rest[(digestAt + 1)..]))
            {
                return false;
            }

            rest = rest[..digestAt];
        }

        // Like Docker: the first component is a registry host only when it looks like one.
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var first = rest[..slash];
            if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost")
            {
                if (!Host().IsMatch(first))
                {
                    return false;
                }

                rest = rest[(slash + 1)..];
            }
        }

        var colon = rest.LastIndexOf(':');
        if (colon >= 0)
        {
            if (!Tag().IsMatch(rest[(colon + 1)..]))
            {
                return false;
            }

            rest = rest[..colon];
        }

        return RepositoryPath().IsMatch(rest);
    }

    [GeneratedRegex(@"^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*(:[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Host();

    [GeneratedRegex("^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryPath();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex Tag();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9]*([-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$", RegexOptions.CultureInvariant)]
    private static partial Regex Digest();
}
