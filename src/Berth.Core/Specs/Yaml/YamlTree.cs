using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Berth.Core.Specs.Yaml;

/// <summary>
/// Turns a YAML node into a JSON tree under the YAML 1.2 core schema: plain <c>true</c>/<c>false</c>, <c>null</c>/<c>~</c> and
/// numbers are typed, everything else (<c>on</c>, <c>yes</c>, <c>no</c>, quoted values) is text, and keys are always text.
/// Records where each value was written, and the text of every plain scalar it typed, in a <see cref="SourceMap"/>.
/// </summary>
internal static partial class YamlTree
{
    private const string StringTag = "tag:yaml.org,2002:str";

    public static JsonNode? ToJson(YamlNode node, string path, SourceMap map, Func<Mark, (int Line, int Column)> position, List<SpecError> errors)
    {
        var (line, column) = position(node.Start);
        map.AddValue(path, line, column);
        switch (node)
        {
            case YamlMappingNode mapping:
                var json = new JsonObject();
                foreach (var (keyNode, value) in mapping.Children)
                {
                    var (keyLine, keyColumn) = position(keyNode.Start);
                    if (keyNode is not YamlScalarNode { Value: { } key })
                    {
                        errors.Add(new SpecError(path, "expected a field name here, found a " + (keyNode is YamlSequenceNode ? "list" : "mapping"), keyLine, keyColumn));
                        continue;
                    }

                    var member = SpecPaths.Member(path, key);
                    map.AddKey(member, keyLine, keyColumn);
                    json[key] = ToJson(value, member, map, position, errors);
                }

                return json;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                foreach (var item in sequence.Children)
                {
                    array.Add(ToJson(item, SpecPaths.Item(path, array.Count), map, position, errors));
                }

                return array;
            case YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } scalar when scalar.Tag.IsEmpty || scalar.Tag.Value != StringTag:
                var text = scalar.Value ?? string.Empty;
                var typed = Plain(text);
                if (typed is not null && typed.GetValueKind() != System.Text.Json.JsonValueKind.String)
                {
                    map.AddPlainText(path, text);
                }

                return typed;
            case YamlScalarNode scalar:
                return JsonValue.Create(scalar.Value ?? string.Empty);
            default:
                errors.Add(new SpecError(path, "aliases are not supported; write the value out", line, column));
                return null;
        }
    }

    /// <summary>Whether plain <paramref name="text"/> reads as something other than text: null, a boolean or a number.</summary>
    public static bool IsTyped(string text) => Plain(text) is not JsonValue value || value.GetValueKind() != System.Text.Json.JsonValueKind.String;

    private static JsonNode? Plain(string text)
    {
        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return JsonValue.Create(text[0] is 't' or 'T');
        }

        if (JsonNumber().IsMatch(text))
        {
            return JsonNode.Parse(text);
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

    // Numbers JSON can hold as written, so 1.10 keeps its spelling.
    [GeneratedRegex(@"^-?(0|[1-9][0-9]{0,17})(\.[0-9]+)?([eE][-+]?[0-9]{1,3})?$", RegexOptions.CultureInvariant)]
    private static partial Regex JsonNumber();

    [GeneratedRegex("^[-+]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Real();
}
