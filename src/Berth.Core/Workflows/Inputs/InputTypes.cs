using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Core.Workflows.Inputs;

/// <summary>Whether a JSON value is of an input's type, and how to say what was expected.</summary>
internal static class InputTypes
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static bool Matches(JsonNode? value, InputType type) => (value?.GetValueKind() ?? JsonValueKind.Null, type) switch
    {
        (JsonValueKind.String, InputType.Text) => true,
        (JsonValueKind.Number, InputType.Number) => true,
        (JsonValueKind.True or JsonValueKind.False, InputType.Boolean) => true,
        (JsonValueKind.Array, InputType.List) => true,
        (JsonValueKind.Object, InputType.Map) => true,
        _ => false,
    };

    public static string Expected(InputType type) => type switch
    {
        InputType.Text => "a string",
        InputType.Number => "a number",
        InputType.Boolean => "true or false",
        InputType.List => "a list",
        InputType.Map => "an object",
        _ => $"a value of type {type}",
    };

    public static string Name(InputType type) => type switch
    {
        InputType.Text => "string",
        InputType.Number => "number",
        InputType.Boolean => "boolean",
        InputType.List => "list",
        InputType.Map => "object",
        _ => type.ToString(),
    };

    public static string Show(JsonNode? value)
    {
        var json = value is null ? "null" : value.ToJsonString(Compact);
        return json.Length > 60 ? json[..57] + "..." : json;
    }

    public static string Mismatch(JsonNode? value, InputType type) => $"expected {Expected(type)}, got {Show(value)}";
}
