using System.Text.RegularExpressions;

namespace Berth.Cli.Commands.Init;

/// <summary>
/// Fills <c>{{key}}</c> placeholders in a template file. A handful of values (name, port, base image, version, command)
/// need no template engine: no loops or conditions, and a generated file must stay readable as the language it is. A
/// placeholder without a value is an error, so a typo in a template fails the CLI's tests instead of reaching a user.
/// </summary>
internal static partial class TemplateRenderer
{
    public static string Render(string template, IReadOnlyDictionary<string, string> values, string file) =>
        Placeholder().Replace(template, match => values.TryGetValue(match.Groups[1].Value, out var value)
            ? value
            : throw new InvalidOperationException($"template {file} uses {{{{{match.Groups[1].Value}}}}}, which has no value"));

    // Only {{word}}: Python f-strings ({{path=...) and C# interpolation ({{ ... }}) in the templates are left alone.
    [GeneratedRegex(@"\{\{([A-Za-z]+)\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
