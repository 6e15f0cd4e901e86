using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Berth.Server.Plugins;

/// <summary>
/// A plugin's input and output schemas (JSON Schema 2020-12, through JsonSchema.Net), built once per installed version, and
/// the check of a value against one, with each violation named by its field (<c>inputs.text: required</c>).
/// </summary>
internal sealed class PluginSchemas
{
    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List };

    private readonly JsonSchema? _inputs;
    private readonly JsonSchema? _outputs;

    private PluginSchemas(JsonSchema? inputs, JsonSchema? outputs) => (_inputs, _outputs) = (inputs, outputs);

    /// <summary>Builds both schemas of a manifest. Throws <see cref="PluginSchemaException"/> naming the field of a schema that does not build.</summary>
    public static PluginSchemas Build(JsonObject? inputs, JsonObject? outputs) => new(Compile(inputs, "spec.inputs"), Compile(outputs, "spec.outputs"));

    /// <summary>Every way <paramref name="inputs"/> breaks the input schema, each as <c>inputs.FIELD: problem</c>; empty when it fits.</summary>
    public IReadOnlyList<string> CheckInputs(JsonNode? inputs) => Check(_inputs, inputs, "inputs");

    /// <summary>Every way <paramref name="outputs"/> breaks the output schema, each as <c>outputs.FIELD: problem</c>; empty when it fits.</summary>
    public IReadOnlyList<string> CheckOutputs(JsonNode? outputs) => Check(_outputs, outputs, "outputs");

    private static JsonSchema? Compile(JsonObject? schema, string path)
    {
        if (schema is null)
        {
            return null;
        }

        try
        {
            // A registry of its own: two plugins may use the same $id, and nothing is fetched from elsewhere.
            using var document = JsonDocument.Parse(schema.ToJsonString());
            return JsonSchema.Build(document.RootElement.Clone(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException or FormatException or RefResolutionException)
        {
            throw new PluginSchemaException($"{path}: not a valid JSON Schema (2020-12): {ex.Message}", ex);
        }
    }

    private static List<string> Check(JsonSchema? schema, JsonNode? value, string root)
    {
        if (value is not JsonObject)
        {
            return [$"{root}: expected a JSON object, found {Describe(value)}"];
        }

        if (schema is null)
        {
            return [];
        }

        using var document = JsonDocument.Parse(value.ToJsonString());
        var results = schema.Evaluate(document.RootElement, Evaluation);
        if (results.IsValid)
        {
            return [];
        }

        var problems = new List<string>();
        foreach (var detail in results.Details ?? [])
        {
            foreach (var (keyword, message) in detail.Errors ?? new Dictionary<string, string>())
            {
                var field = Field(root, detail.InstanceLocation.ToString());
                if (keyword == "required" && MissingProperties(message) is { Count: > 0 } missing)
                {
                    problems.AddRange(missing.Select(name => $"{field}.{name}: required"));
                }
                else
                {
                    problems.Add($"{field}: {message} ({keyword})");
                }
            }
        }

        return problems.Count > 0 ? problems.Distinct(StringComparer.Ordinal).ToList() : [$"{root}: does not match the schema"];
    }

    /// <summary>
    /// The names in JsonSchema.Net's <c>required</c> message (<c>Required properties ["text"] are not present</c>), so each missing
    /// property is named as its own field; null when the message does not hold a JSON list of names.
    /// </summary>
    private static List<string>? MissingProperties(string message)
    {
        var (start, end) = (message.IndexOf('[', StringComparison.Ordinal), message.LastIndexOf(']'));
        if (start < 0 || end <= start)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(message[start..(end + 1)]) is JsonArray names && names.All(n => n?.GetValueKind() == JsonValueKind.String)
                ? [.. names.Select(n => n!.GetValue<string>())]
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary><c>/text/0</c> under <c>inputs</c> is <c>inputs.text[0]</c>.</summary>
    private static string Field(string root, string pointer)
    {
        var field = root;
        foreach (var part in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            field = int.TryParse(name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
                ? $"{field}[{index}]"
                : $"{field}.{name}";
        }

        return field;
    }

    private static string Describe(JsonNode? value) => value?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        _ => "a boolean",
    };
}
