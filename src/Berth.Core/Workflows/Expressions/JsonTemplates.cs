using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Core.Workflows.Expressions;

/// <summary>Templates inside JSON (an agent step's body, a child workflow's inputs): every string value is a template.</summary>
public static class JsonTemplates
{
    /// <summary>Every string value of <paramref name="node"/> with its path below <paramref name="path"/> (<c>body.words</c>, <c>body.list[0]</c>), in document order.</summary>
    public static IEnumerable<(string Path, string Text)> Strings(JsonNode? node, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        switch (node)
        {
            case JsonObject map:
                foreach (var (key, value) in map)
                {
                    foreach (var entry in Strings(value, $"{path}.{key}"))
                    {
                        yield return entry;
                    }
                }

                break;
            case JsonArray list:
                for (var i = 0; i < list.Count; i++)
                {
                    foreach (var entry in Strings(list[i], $"{path}[{i}]"))
                    {
                        yield return entry;
                    }
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                yield return (path, value.GetValue<string>());
                break;
        }
    }

    /// <summary>A copy of <paramref name="node"/> with every string value evaluated as a template; a string that is one expression takes that expression's JSON type.</summary>
    /// <exception cref="ExpressionException">A string holds a malformed expression, or one that failed to evaluate.</exception>
    public static JsonNode? Evaluate(JsonNode? node, ExpressionScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        switch (node)
        {
            case JsonObject map:
                var copy = new JsonObject();
                foreach (var (key, value) in map)
                {
                    copy[key] = Evaluate(value, scope);
                }

                return copy;
            case JsonArray list:
                return new JsonArray(list.Select(item => Evaluate(item, scope)).ToArray());
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var template = Template.Parse(value.GetValue<string>());
                return template.HasExpressions ? template.Evaluate(scope) : value.DeepClone();
            default:
                return node?.DeepClone();
        }
    }
}
