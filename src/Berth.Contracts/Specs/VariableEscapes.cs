using System.Text;
using System.Text.Json.Nodes;

namespace Berth.Core.Specs;

/// <summary>
/// Writes each literal <c>${</c> in a spec's text as <c>$${</c>, so reading the spec (which substitutes <c>${VAR}</c> on the
/// client and refuses it on the server) gives the text back unchanged. <c>${{ expr }}</c> and <c>${secret:NAME}</c> are kept.
/// </summary>
internal static class VariableEscapes
{
    /// <summary>A copy of <paramref name="node"/> with every text value (not the names) escaped.</summary>
    public static JsonNode? Escape(JsonNode? node) => node switch
    {
        JsonObject map => new JsonObject(map.Select(p => KeyValuePair.Create(p.Key, Escape(p.Value)))),
        JsonArray list => new JsonArray([.. list.Select(Escape)]),
        JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.String => JsonValue.Create(Escape(value.GetValue<string>())),
        _ => node?.DeepClone(),
    };

    public static string Escape(string text)
    {
        if (!text.Contains("${", StringComparison.Ordinal))
        {
            return text;
        }

        var output = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var rest = text.AsSpan(i);
            if (rest.StartsWith("${") && !rest.StartsWith("${{") && !rest.StartsWith("${secret:"))
            {
                output.Append('$');
            }

            output.Append(text[i]);
        }

        return output.ToString();
    }
}
