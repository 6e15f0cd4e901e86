using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Core.Specs;

namespace Berth.Core.Plugins;

/// <summary>
/// Converts a Stage7-style container plugin manifest (<c>id</c>, <c>version</c>, <c>actionVerb</c>, <c>description</c>,
/// <c>inputDefinitions</c>/<c>outputDefinitions</c>, <c>language: container</c>, <c>container {dockerfile, buildContext, image,
/// ports, environment, resources, healthCheck}</c>, <c>api {endpoint, method, timeout}</c>) to a <c>kind: Plugin</c> document.
/// Every field converted, assumed or dropped gets a note, shown by <c>berth plugins describe</c>.
/// </summary>
public static class Stage7Manifest
{
    private static readonly string[] Known = ["id", "version", "verb", "actionVerb", "name", "description", "language", "inputDefinitions", "outputDefinitions", "container", "api"];

    /// <summary>Converts <paramref name="manifest"/>; never throws for bad input.</summary>
    public static Stage7Conversion Convert(JsonObject manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var notes = new List<string>();
        var errors = new List<SpecError>();
        var spec = new JsonObject();
        var id = Text(manifest, "id");
        if (id is null)
        {
            errors.Add(new SpecError("id", "required; expected the plugin's id, a DNS label like text-analysis"));
        }

        Copy(manifest, "version", spec, "version");
        var verb = Text(manifest, "actionVerb") ?? Text(manifest, "verb");
        if (verb is not null)
        {
            spec["verb"] = verb;
            notes.Add($"{(manifest.ContainsKey("actionVerb") ? "actionVerb" : "verb")} became spec.verb");
        }

        Copy(manifest, "description", spec, "description");
        if (Text(manifest, "name") is { } name)
        {
            notes.Add($"name '{name}' dropped: the id is the plugin's name");
        }

        var language = Text(manifest, "language");
        if (language is not null && !string.Equals(language, "container", StringComparison.Ordinal))
        {
            errors.Add(new SpecError("language", $"'{language}' is not supported; expected container (Berth runs a Stage7 plugin from its image or Dockerfile)"));
        }

        spec["runtime"] = "container";
        Stage7Definitions.Convert(manifest, "inputDefinitions", spec, "inputs", required: true, notes, errors);
        Stage7Definitions.Convert(manifest, "outputDefinitions", spec, "outputs", required: false, notes, errors);
        if (manifest["container"] is JsonObject container)
        {
            spec["container"] = Stage7Container.Convert(container, notes, errors);
        }
        else
        {
            errors.Add(new SpecError("container", "required; expected { dockerfile, buildContext } or { image }"));
        }

        if (manifest["api"] is JsonObject api)
        {
            spec["api"] = ConvertApi(api, notes, errors);
        }

        var dropped = manifest.Select(p => p.Key).Where(k => !Known.Contains(k, StringComparer.Ordinal)).ToList();
        if (dropped.Count > 0)
        {
            notes.Add($"dropped (no Berth equivalent): {string.Join(", ", dropped)}");
        }

        var document = new JsonObject
        {
            ["apiVersion"] = SpecReader.ApiVersion,
            ["kind"] = "Plugin",
            ["metadata"] = new JsonObject { ["name"] = id ?? "" },
            ["spec"] = spec,
        };
        return new Stage7Conversion(document, notes, errors);
    }

    private static JsonObject ConvertApi(JsonObject api, List<string> notes, List<SpecError> errors)
    {
        var converted = new JsonObject();
        Copy(api, "endpoint", converted, "endpoint");
        if (Text(api, "method") is { } method)
        {
            converted["method"] = method.ToUpperInvariant();
        }

        switch (api["timeout"])
        {
            case JsonValue number when number.GetValueKind() == JsonValueKind.Number && number.TryGetValue<double>(out var ms):
                converted["timeout"] = Duration.Format(TimeSpan.FromMilliseconds(Math.Max(1, ms)));
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"api.timeout {ms} (milliseconds) became {converted["timeout"]}"));
                break;
            case JsonValue text when text.GetValueKind() == JsonValueKind.String:
                converted["timeout"] = text.GetValue<string>();
                break;
            case null:
                break;
            default:
                errors.Add(new SpecError("api.timeout", "expected milliseconds (30000) or a duration (30s)"));
                break;
        }

        return converted;
    }

    internal static string? Text(JsonObject node, string name) =>
        node[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    internal static void Copy(JsonObject from, string name, JsonObject to, string target)
    {
        if (from[name] is { } value)
        {
            to[target] = value.DeepClone();
        }
    }
}
