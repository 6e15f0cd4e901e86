using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Core.Workflows.Expressions;

/// <summary>Truth, rendering and comparison of JSON values as the expression language defines them.</summary>
internal static class JsonValues
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonValueKind KindOf(JsonNode? node) => node?.GetValueKind() ?? JsonValueKind.Null;

    /// <summary>false, null, 0, "" and "false" are false; everything else is true.</summary>
    public static bool IsTrue(JsonNode? node) => KindOf(node) switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined or JsonValueKind.False => false,
        JsonValueKind.Number => Number(node!) != 0,
        JsonValueKind.String => node!.GetValue<string>() is not ("" or "false"),
        _ => true,
    };

    /// <summary>Strings as they are, null as nothing, other JSON compact.</summary>
    public static string Render(JsonNode? node) => KindOf(node) switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => string.Empty,
        JsonValueKind.String => node!.GetValue<string>(),
        _ => node!.ToJsonString(Compact),
    };

    public static string Describe(JsonNode? node) => KindOf(node) switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => "null",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "a list",
        _ => "an object",
    };

    public static double Number(JsonNode node) =>
        double.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>Equality: null equals only null; otherwise both sides must be of the same type.</summary>
    public static bool Equal(JsonNode? left, JsonNode? right)
    {
        var (l, r) = (Family(left), Family(right));
        if (l == JsonValueKind.Null || r == JsonValueKind.Null)
        {
            return l == r;
        }

        if (l != r)
        {
            throw new ExpressionException($"cannot compare {Describe(left)} with {Describe(right)}");
        }

        return l switch
        {
            JsonValueKind.Number => Number(left!) == Number(right!),
            JsonValueKind.String => left!.GetValue<string>() == right!.GetValue<string>(),
            JsonValueKind.True => left!.GetValueKind() == right!.GetValueKind(),
            _ => JsonNode.DeepEquals(left, right),
        };
    }

    /// <summary>Order of two numbers or two strings (ordinal).</summary>
    public static int Compare(JsonNode? left, JsonNode? right)
    {
        var (l, r) = (Family(left), Family(right));
        if (l == r && l == JsonValueKind.Number)
        {
            return Number(left!).CompareTo(Number(right!));
        }

        if (l == r && l == JsonValueKind.String)
        {
            return string.CompareOrdinal(left!.GetValue<string>(), right!.GetValue<string>());
        }

        throw new ExpressionException($"cannot order {Describe(left)} and {Describe(right)}; < <= > >= compare two numbers or two strings");
    }

    // true and false are one family, so that comparing them is allowed.
    private static JsonValueKind Family(JsonNode? node) => KindOf(node) switch
    {
        JsonValueKind.False or JsonValueKind.True => JsonValueKind.True,
        JsonValueKind.Undefined => JsonValueKind.Null,
        var kind => kind,
    };
}
