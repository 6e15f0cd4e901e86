using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Berth.Core.Specs.Yaml;

namespace Berth.Core.Specs.Binding;

/// <summary>
/// Reads a JSON tree (from a YAML document or a JSON body) into a spec record through its System.Text.Json contract, reporting every
/// problem at once with its path: unknown fields (naming the nearest known one), values of the wrong shape, text that is not a valid
/// duration, size or choice. What it accepts it normalises so that System.Text.Json reads it without error: a lone value where a list
/// goes is a one-item list, numbers and booleans where text goes are text as written, a null field keeps its default.
/// </summary>
internal sealed class SpecBinder(JsonSerializerOptions options, SourceMap map)
{
    private static readonly ConcurrentDictionary<Type, string[]> EnumNames = new();

    private readonly List<string> _failed = [];

    public List<SpecError> Errors { get; } = [];

    /// <summary>Reads <paramref name="node"/> as a <typeparamref name="T"/>. Values that failed are left at their defaults, so the record can still be validated; see <see cref="IsRelatedToAFailure"/>.</summary>
    public T? Bind<T>(JsonNode? node, string path)
        where T : class
    {
        var info = options.GetTypeInfo(typeof(T));
        var normalized = Normalize(node, info, null, path);
        try
        {
            return (T?)JsonSerializer.Deserialize(normalized ?? new JsonObject(), info);
        }
        catch (JsonException ex)
        {
            Fail(path, ex.Message);
            return null;
        }
    }

    private JsonNode? Normalize(JsonNode? node, JsonTypeInfo info, JsonPropertyInfo? property, string path)
    {
        if (node is null)
        {
            return null;
        }

        var type = Nullable.GetUnderlyingType(info.Type) is { } underlying ? underlying : info.Type;
        if (type != info.Type)
        {
            info = options.GetTypeInfo(type);
        }

        if ((property?.CustomConverter ?? info.Converter) is ITextScalar rule)
        {
            return Text(node, path, rule.Expected, rule.IsValid);
        }
        if (typeof(JsonNode).IsAssignableFrom(type))
        {
            return type == typeof(JsonObject) && node is not JsonObject ? Mismatch(node, path, "a mapping") : node.DeepClone();
        }

        if (node is JsonValue line && ShortForms.TryGet(type, out var expand, out var expected))
        {
            return Text(line, path, expected, t => expand(t) is not null) is { } text ? expand(text.GetValue<string>()) : null;
        }

        return info.Kind switch
        {
            JsonTypeInfoKind.Object => NormalizeObject(node, info, path),
            JsonTypeInfoKind.Enumerable => NormalizeList(node, info, path),
            JsonTypeInfoKind.Dictionary => NormalizeDictionary(node, info, path),
            _ => NormalizeScalar(node, info, type, ExpectedOf(property), path),
        };
    }

    private JsonObject? NormalizeObject(JsonNode node, JsonTypeInfo info, string path)
    {
        var fields = info.Properties.Where(p => p.Set is not null).ToList();
        if (node is not JsonObject source)
        {
            Mismatch(node, path, $"a mapping with {string.Join(", ", fields.Select(f => f.Name))}");
            return null;
        }

        var result = new JsonObject();
        foreach (var (key, value) in source)
        {
            var member = SpecPaths.Member(path, key);
            var field = fields.Find(f => string.Equals(f.Name, key, StringComparison.Ordinal));
            if (field is null)
            {
                FailAtKey(member, FieldSuggester.UnknownField(key, fields.ConvertAll(f => f.Name)));
                continue;
            }

            if (Normalize(value, options.GetTypeInfo(field.PropertyType), field, member) is { } normalized)
            {
                result[key] = normalized;
            }
        }

        return result;
    }

    private JsonArray? NormalizeList(JsonNode node, JsonTypeInfo info, string path)
    {
        var itemInfo = options.GetTypeInfo(info.ElementType!);
        if (node is JsonValue && itemInfo.Kind == JsonTypeInfoKind.None)
        {
            node = new JsonArray(node.DeepClone());
        }

        if (node is not JsonArray source)
        {
            Mismatch(node, path, "a list like [a, b]");
            return null;
        }

        // A list with a bad item is left out whole, so no later item is validated under the wrong index.
        var result = new JsonArray();
        var failed = false;
        for (var i = 0; i < source.Count; i++)
        {
            var item = SpecPaths.Item(path, i);
            if (source[i] is null && !AcceptsNull(itemInfo.Type))
            {
                Fail(item, "expected a value, found nothing; quote an empty value as \"\" or remove the item");
                failed = true;
                continue;
            }

            var normalized = Normalize(source[i], itemInfo, null, item);
            failed |= normalized is null && source[i] is not null;
            result.Add(normalized);
        }

        return failed ? null : result;
    }

    private JsonObject? NormalizeDictionary(JsonNode node, JsonTypeInfo info, string path)
    {
        if (node is not JsonObject source)
        {
            Mismatch(node, path, "a mapping like { NAME: value }");
            return null;
        }

        var valueInfo = options.GetTypeInfo(info.ElementType!);
        var result = new JsonObject();
        foreach (var (key, value) in source)
        {
            map.MarkEntry(SpecPaths.Member(path, key));
            var entry = value is null && valueInfo.Type == typeof(string)
                ? JsonValue.Create(string.Empty)
                : Normalize(value, valueInfo, null, SpecPaths.Member(path, key));
            if (entry is not null || value is null)
            {
                result[key] = entry;
            }
        }

        return result;
    }

    private JsonNode? NormalizeScalar(JsonNode node, JsonTypeInfo info, Type type, string? expected, string path)
    {
        if (type == typeof(string))
        {
            return Text(node, path, "a text value", static _ => true);
        }

        if (type == typeof(bool))
        {
            return Text(node, path, expected ?? "true or false", static t => bool.TryParse(t, out _)) is { } flag ? JsonValue.Create(bool.Parse(flag.GetValue<string>())) : null;
        }

        if (type == typeof(int) || type == typeof(long))
        {
            var whole = Text(node, path, expected ?? "a whole number", t => long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && (type == typeof(long) || n is >= int.MinValue and <= int.MaxValue));
            return whole is null ? null : JsonValue.Create(long.Parse(whole.GetValue<string>(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
        }

        if (type == typeof(double))
        {
            var real = Text(node, path, expected ?? "a number", static t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d));
            return real is null ? null : JsonValue.Create(double.Parse(real.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        if (type.IsEnum)
        {
            var names = EnumNames.GetOrAdd(type, _ => NamesOf(info));
            var text = Text(node, path, Choices(names), t => names.Contains(t, StringComparer.Ordinal), suggestFrom: names);
            return text;
        }

        return node.DeepClone();
    }

    /// <summary>The value as text when <paramref name="isValid"/> accepts it; otherwise null, with the error reported.</summary>
    private JsonValue? Text(JsonNode node, string path, string expected, Func<string, bool> isValid, IReadOnlyList<string>? suggestFrom = null)
    {
        if (node is not JsonValue value)
        {
            return Mismatch(node, path, expected);
        }

        var text = TextOf(value, path);
        if (isValid(text))
        {
            return JsonValue.Create(text);
        }

        var suggestion = suggestFrom is null ? null : FieldSuggester.Suggest(text, suggestFrom);
        Fail(path, $"expected {expected}, found {Quote(text)}" + (suggestion is null ? string.Empty : $"; did you mean '{suggestion}'?"));
        return null;
    }

    private string TextOf(JsonValue value, string path) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.True or JsonValueKind.False or JsonValueKind.Number => map.PlainText(path) ?? value.ToJsonString(),
        _ => value.ToJsonString(),
    };

    // Always null, so a caller can report and return in one statement.
    private JsonValue? Mismatch(JsonNode node, string path, string expected)
    {
        Fail(path, $"expected {expected}, found {Describe(node, path)}");
        return null;
    }

    private string Describe(JsonNode node, string path) => node switch
    {
        JsonObject => "a mapping",
        JsonArray => "a list",
        JsonValue value => Quote(TextOf(value, path)),
        _ => "nothing",
    };

    /// <summary>Whether an error at <paramref name="path"/> is about a value that failed to read, one inside it or one holding it: a consequence, not news.</summary>
    public bool IsRelatedToAFailure(string path) => _failed.Exists(failed => Contains(failed, path) || Contains(path, failed));

    private void Fail(string path, string message)
    {
        _failed.Add(path);
        Errors.Add(map.AtValue(new SpecError(path, message)));
    }

    private static bool Contains(string outer, string inner) =>
        inner.StartsWith(outer, StringComparison.Ordinal) && (inner.Length == outer.Length || inner[outer.Length] is '.' or '[');

    private void FailAtKey(string path, string message)
    {
        _failed.Add(path);
        var position = map.KeyOf(path);
        Errors.Add(new SpecError(path, message, position?.Line, position?.Column));
    }

    private static string? ExpectedOf(JsonPropertyInfo? property) =>
        property?.AttributeProvider?.GetCustomAttributes(typeof(ExpectedAttribute), inherit: false) is [ExpectedAttribute expected, ..] ? expected.Description : null;

    // A message quotes what was written, but never more than a line of it: a body may hold megabytes where a number goes.
    private static string Quote(string text) => text.Length <= 80 ? $"'{text}'" : $"'{text[..80]}…' ({text.Length} characters)";

    private static bool AcceptsNull(Type type) => typeof(JsonNode).IsAssignableFrom(type) || Nullable.GetUnderlyingType(type) is not null;

    private static string Choices(string[] names) =>
        names.Length == 1 ? names[0] : $"{string.Join(", ", names[..^1])} or {names[^1]}";

    // The names as the enum's own converter writes them, so the binder and System.Text.Json agree on every spelling.
    private static string[] NamesOf(JsonTypeInfo info) =>
        Enum.GetValuesAsUnderlyingType(info.Type).Cast<object>()
            .Select(value => JsonSerializer.Serialize(Enum.ToObject(info.Type, value), info).Trim('"'))
            .ToArray();
}
