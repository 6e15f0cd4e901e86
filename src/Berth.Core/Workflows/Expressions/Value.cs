using System.Text;
using System.Text.Json.Nodes;
using Berth.Core.Workflows.Runs;

namespace Berth.Core.Workflows.Expressions;

/// <summary>What an expression evaluates to: JSON, or an output file whose content is read only when needed.</summary>
internal readonly record struct Value(JsonNode? Json, ArtifactRef? File = null)
{
    public static Value Of(JsonNode? json) => new(json);

    public static Value Of(bool value) => new(JsonValue.Create(value));

    /// <summary>The value as JSON; a file is its content decoded as UTF-8 text.</summary>
    public JsonNode? ToJson(ExpressionScope scope) =>
        File is { } file ? JsonValue.Create(Encoding.UTF8.GetString(scope.ReadFile(file))) : Json;
}
