namespace Berth.Cli.Commands.Init;

/// <summary>
/// The template files embedded in the CLI (<c>src/Berth.Cli/Templates/**</c>, logical name = path under Templates/), read
/// with <see cref="System.Reflection.Assembly.GetManifestResourceStream(string)"/>: no reflection over types, so it works
/// in the Native AOT binary.
/// </summary>
internal static class EmbeddedTemplates
{
    private const string Root = "Templates/";

    /// <summary>The files of a project: the kind's shared files (spec, README) and the language's files for that kind.</summary>
    public static IReadOnlyList<TemplateFile> For(string kind, string language)
    {
        var assembly = typeof(EmbeddedTemplates).Assembly;
        var prefixes = new[] { $"{Root}{kind}/", $"{Root}{language}/{kind}/" };
        var files = new List<TemplateFile>();
        foreach (var name in assembly.GetManifestResourceNames().Order(StringComparer.Ordinal))
        {
            if (prefixes.FirstOrDefault(p => name.StartsWith(p, StringComparison.Ordinal)) is not { } prefix)
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"embedded template {name} is listed but cannot be read");
            using var reader = new StreamReader(stream);
            files.Add(new TemplateFile(name[prefix.Length..], reader.ReadToEnd()));
        }

        return files.Count > 0 ? files : throw new InvalidOperationException($"no embedded templates for {language} {kind}: the CLI was built without them");
    }
}
