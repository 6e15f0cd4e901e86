using System.Text.RegularExpressions;

namespace Berth.Server.Images;

/// <summary>The names <c>berth build</c> accepts: a Docker image reference with a tag, and a Dockerfile path inside the context.</summary>
internal static partial class ImageReferences
{
    /// <summary>Longest tag accepted: 255 characters, Docker's own limit on a reference.</summary>
    public const int MaximumTagLength = 255;

    /// <summary>What is wrong with <paramref name="tag"/> as an image reference (<c>[host[:port]/]name[:tag]</c>, lowercase name), or null.</summary>
    public static string? TagProblem(string? tag) => tag switch
    {
        null or "" => "a tag is required, like local/my-agent:1",
        { Length: > MaximumTagLength } => $"the tag is {tag.Length} characters long; at most {MaximumTagLength}",
        _ when !Reference().IsMatch(tag) => $"'{Printable(tag)}' is not an image reference; expected one like local/my-agent:1 (lowercase name, optional registry and :tag)",
        _ => null,
    };

    /// <summary>What is wrong with <paramref name="dockerfile"/> as a path inside the context, or null.</summary>
    public static string? DockerfileProblem(string dockerfile) =>
        dockerfile.Length is 0 or > 256 || dockerfile.StartsWith('/') || dockerfile.Any(c => char.IsControl(c) || c == '\\') ||
        dockerfile.Split('/').Any(s => s == "..")
            ? $"'{Printable(dockerfile)}' is not a path inside the context; expected one like Dockerfile or docker/Dockerfile.prod"
            : null;

    private static string Printable(string text) =>
        new((text.Length > 100 ? text[..100] : text).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    [GeneratedRegex(@"^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?\z")]
    private static partial Regex Reference();
}
