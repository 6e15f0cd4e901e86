using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Berth.Core.Specs.Yaml;

/// <summary>
/// Writes a JSON tree as YAML that reads back to the same tree under the YAML 1.2 core schema (and under YAML 1.1 readers too):
/// text that would read as a number, boolean or null (<c>"3"</c>, <c>"true"</c>, <c>"yes"</c>, <c>"~"</c>) is quoted, mappings
/// are block style and lists of plain values flow style (<c>args: [-c, run]</c>).
/// </summary>
public static class JsonYamlWriter
{
    private static readonly string[] YamlOneOneWords = ["y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"];

    /// <summary>The YAML text of <paramref name="node"/>, ending in a line break.</summary>
    /// <param name="node">The tree to write.</param>
    public static string Write(JsonNode? node)
    {
        using var output = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        var emitter = new Emitter(output, new EmitterSettings(2, int.MaxValue, false, 1024));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        Emit(emitter, node);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return output.ToString();
    }

    private static void Emit(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject map:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, map.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (key, value) in map)
                {
                    Text(emitter, key);
                    Emit(emitter, value);
                }

                emitter.Emit(new MappingEnd());
                break;
            case JsonArray list:
                var flow = list.All(item => item is null or JsonValue);
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, flow ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in list)
                {
                    Emit(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                Text(emitter, value.GetValue<string>());
                break;
            default:
                emitter.Emit(new Scalar(node?.ToJsonString() ?? "null"));
                break;
        }
    }

    private static void Text(IEmitter emitter, string text)
    {
        var quoted = text.Length == 0 || YamlTree.IsTyped(text) || YamlOneOneWords.Contains(text, StringComparer.Ordinal) || text.Trim() != text;
        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, text, quoted ? ScalarStyle.DoubleQuoted : ScalarStyle.Any, !quoted, quoted));
    }
}
