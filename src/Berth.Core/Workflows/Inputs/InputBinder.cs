using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Core.Specs;
using Berth.Core.Specs.Yaml;

namespace Berth.Core.Workflows.Inputs;

/// <summary>Turns the inputs a run was given into the inputs it runs with: defaults filled in, types checked, unknown names reported.</summary>
public static class InputBinder
{
    /// <summary>
    /// Binds <paramref name="given"/> to the inputs <paramref name="spec"/> declares. The inputs hold every given value and the
    /// default of every input not given (an optional input with neither is left out), in declaration order.
    /// </summary>
    /// <param name="spec">The workflow.</param>
    /// <param name="given">The run's inputs; null for none.</param>
    /// <param name="pathPrefix">Prefix of error paths. Default <c>inputs</c>, giving <c>inputs.count: expected a number, got "abc"</c>.</param>
    public static (JsonObject Inputs, IReadOnlyList<SpecError> Errors) Bind(WorkflowSpec spec, JsonObject? given, string pathPrefix = "inputs")
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(pathPrefix);
        var inputs = new JsonObject();
        var errors = new List<SpecError>();
        var declared = spec.Inputs ?? new Dictionary<string, WorkflowInputSpec>();
        foreach (var (name, input) in declared)
        {
            var path = Path(pathPrefix, name);
            if (given is not null && given.TryGetPropertyValue(name, out var value) && value is not null)
            {
                if (input is not null && !InputTypes.Matches(value, input.Type))
                {
                    errors.Add(new SpecError(path, InputTypes.Mismatch(value, input.Type)));
                }

                inputs[name] = value.DeepClone();
            }
            else if (input?.Default is { } defaultValue)
            {
                inputs[name] = defaultValue.DeepClone();
            }
            else if (input?.Required == true)
            {
                errors.Add(new SpecError(path, $"required; expected {InputTypes.Expected(input.Type)}"));
            }
        }

        foreach (var (name, _) in given ?? [])
        {
            if (!declared.ContainsKey(name))
            {
                errors.Add(new SpecError(Path(pathPrefix, name), Unknown(name, declared.Keys)));
            }
        }

        return (inputs, errors);
    }

    /// <summary>
    /// Converts <c>--input name=value</c> texts by each input's declared type: numbers and booleans parsed, list and object parsed as
    /// JSON; strings, undeclared names and texts that do not parse are kept as strings, so <see cref="Bind"/> reports them.
    /// </summary>
    public static JsonObject FromText(WorkflowSpec spec, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(values);
        var inputs = new JsonObject();
        foreach (var (name, text) in values)
        {
            var type = spec.Inputs is not null && spec.Inputs.TryGetValue(name, out var input) && input is not null ? input.Type : InputType.Text;
            inputs[name] = Convert(text, type);
        }

        return inputs;
    }

    private static JsonNode Convert(string text, InputType type)
    {
        switch (type)
        {
            case InputType.Number when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number):
                return ParseJson(text.Trim()) is JsonValue parsed && parsed.GetValueKind() == JsonValueKind.Number ? parsed : JsonValue.Create(number);
            case InputType.Boolean when bool.TryParse(text, out var flag):
                return JsonValue.Create(flag);
            case InputType.List or InputType.Map:
                return ParseJson(text) is { } json && InputTypes.Matches(json, type) ? json : JsonValue.Create(text);
            default:
                return JsonValue.Create(text);
        }
    }

    private static JsonNode? ParseJson(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Path(string prefix, string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";

    private static string Unknown(string name, IEnumerable<string> declared)
    {
        var names = declared.ToList();
        if (names.Count == 0)
        {
            return "unknown input; the workflow declares no inputs";
        }

        var suggestion = FieldSuggester.Suggest(name, names);
        return suggestion is null
            ? $"unknown input; expected one of {string.Join(", ", names)}"
            : $"unknown input; did you mean '{suggestion}'?";
    }
}
