using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Server.Tests.Secrets;

/// <summary>The forms a secret's value takes in text that serializers wrote, and a search for any of them, parsed JSON included.</summary>
internal static class SecretForms
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The value as is, JSON-escaped the ways .NET, JavaScript and Python do, and percent-encoded for URLs and forms.</summary>
    public static IReadOnlyList<string> Of(string value)
    {
        var dotnet = JsonSerializer.Serialize(value)[1..^1];
        var relaxed = JsonSerializer.Serialize(value, Relaxed)[1..^1];
        var python = string.Concat(value.Select(c => c switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            > '\x7e' => $"\\u{(int)c:x4}",
            _ => c.ToString(),
        }));
        var uri = Uri.EscapeDataString(value);
        return [value, dotnet, relaxed, python, uri, System.Text.RegularExpressions.Regex.Replace(uri, "%[0-9A-F]{2}", m => m.Value.ToLowerInvariant()), WebUtility.UrlEncode(value)];
    }

    /// <summary>The forms of <paramref name="value"/> found in <paramref name="text"/>, and whether parsing it as JSON gives a string holding the value.</summary>
    public static IReadOnlyList<string> FoundIn(string text, string value)
    {
        var found = Of(value).Distinct().Where(form => text.Contains(form, StringComparison.Ordinal)).ToList();
        foreach (var json in JsonTexts(text))
        {
            if (Strings(json).Any(s => s.Contains(value, StringComparison.Ordinal) || WebUtility.UrlDecode(s).Contains(value, StringComparison.Ordinal)))
            {
                found.Add("a JSON string value");
            }
        }

        return found;
    }

    // The text itself, or each server-sent event's data line.
    private static IEnumerable<JsonNode> JsonTexts(string text)
    {
        foreach (var candidate in text.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l[6..]).Prepend(text))
        {
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(candidate);
            }
            catch (JsonException)
            {
                continue;
            }

            if (node is not null)
            {
                yield return node;
            }
        }
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => Strings(p.Value).Prepend(p.Key)),
        JsonArray array => array.SelectMany(Strings),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Strings(v.GetValue<string>()),
        _ => [],
    };

    // A string that is itself JSON (a stored body shown as text) is searched inside too.
    private static IEnumerable<string> Strings(string text)
    {
        yield return text;
        foreach (var inner in JsonTexts(text).Where(n => n is JsonObject or JsonArray).SelectMany(Strings))
        {
            yield return inner;
        }
    }
}
