using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Core.Specs;

namespace Berth.Core.Plugins;

/// <summary>
/// Stage7's <c>inputDefinitions</c>/<c>outputDefinitions</c> (<c>[{name, type, required, description}]</c>) as a JSON Schema
/// object with one property per definition; a Stage7 type JSON Schema does not know (<c>plan</c>, <c>any</c>) leaves the
/// property untyped, with a note.
/// </summary>
internal static class Stage7Definitions
{
    private static readonly string[] SchemaTypes = ["string", "number", "integer", "boolean", "object", "array", "null"];

    public static void Convert(JsonObject manifest, string field, JsonObject spec, string target, bool required, List<string> notes, List<SpecError> errors)
    {
        if (manifest[field] is not { } node)
        {
            return;
        }

        if (node is not JsonArray definitions)
        {
            errors.Add(new SpecError(field, "expected a list of { name, type, required, description }"));
            return;
        }

        var properties = new JsonObject();
        var needed = new JsonArray();
        var untyped = new List<string>();
        for (var i = 0; i < definitions.Count; i++)
        {
            if (definitions[i] is not JsonObject definition || Stage7Manifest.Text(definition, "name") is not { Length: > 0 } name)
            {
                errors.Add(new SpecError($"{field}[{i}].name", "required; expected the field's name"));
                continue;
            }

            var property = new JsonObject();
            var type = Stage7Manifest.Text(definition, "type")?.ToLowerInvariant();
            if (type is not null && SchemaTypes.Contains(type, StringComparer.Ordinal))
            {
                property["type"] = type;
            }
            else if (type is not null)
            {
                untyped.Add($"{name} ({type})");
            }

            Stage7Manifest.Copy(definition, "description", property, "description");
            properties[name] = property;
            if (required && definition["required"]?.GetValueKind() == JsonValueKind.True)
            {
                needed.Add(name);
            }
        }

        var schema = new JsonObject { ["type"] = "object", ["properties"] = properties };
        if (needed.Count > 0)
        {
            schema["required"] = needed;
        }

        spec[target] = schema;
        notes.Add($"{field} became spec.{target}, a JSON Schema with {properties.Count} propert{(properties.Count == 1 ? "y" : "ies")}{(required ? "" : " (outputs are checked by type; none is required)")}");
        if (untyped.Count > 0)
        {
            notes.Add($"{field}: types JSON Schema does not know were left open: {string.Join(", ", untyped)}");
        }
    }
}
