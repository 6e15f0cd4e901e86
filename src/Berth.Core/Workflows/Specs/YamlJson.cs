using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Berth.Core.Specs.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Berth.Core.Workflows.Specs;

/// <summary>Converts YAML values to JSON: quoted scalars are strings; plain ones are null, booleans or numbers when they read as such.</summary>
internal static partial class YamlJson
{
    public static JsonNode? Convert(YamlNode node, NodeReader reader, string path)
    {
        switch (node)
        {
            case YamlMappingNode map:
                var json = new JsonObject();
                foreach (var (keyNode, value) in map.Children)
                {
                    if (keyNode is not YamlScalarNode { Value: { } key })
                    {
                        reader.Error(path, keyNode, "expected a text key here");
                        continue;
                    }

                    json[key] = Convert(value, reader, $"{path}.{key}");
                }

                return json;
            case YamlSequenceNode list:
                return new JsonArray(list.Children.Select((item, i) => Convert(item, reader, $"{path}[{i}]")).ToArray());
            case YamlScalarNode scalar when scalar.Style is ScalarStyle.Plain or ScalarStyle.Any:
                return Plain(scalar.Value ?? string.Empty);
            case YamlScalarNode scalar:
                return JsonValue.Create(scalar.Value ?? string.Empty);
            default:
                reader.Error(path, node, "aliases are not supported; write the value out");
                return null;
        }
    }

    private static JsonValue? Plain(string text)
    {
        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return JsonValue.Create(text[0] is 't' or 'T');
        }

        if (Integer().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
        {
            return JsonValue.Create(whole);
        }

        if (Real().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real))
        {
            return JsonValue.Create(real);
        }

        return JsonValue.Create(text);
    }

    [GeneratedRegex("^[-+]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Real();
}
