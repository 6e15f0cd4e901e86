using System.Text.Json.Nodes;
using Berth.Core.Specs;

namespace Berth.Testing.Specs;

/// <summary>Spec bodies as the API takes them: a document with apiVersion, kind, metadata.name and spec.</summary>
public static class SpecBodies
{
    /// <summary>
    /// The document for a spec written as one JSON object whose <c>name</c> is the resource's name (the shape tests used to send),
    /// so a test keeps writing the fields it cares about. Text that is not a JSON object is returned unchanged: hostile tests send garbage on purpose.
    /// </summary>
    public static string Document(string kind, string specJson)
    {
        try
        {
            return JsonNode.Parse(specJson) is JsonObject spec ? Document(kind, spec).ToJsonString() : specJson;
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or ArgumentException)
        {
            return specJson;
        }
    }

    /// <inheritdoc cref="Document(string, string)"/>
    public static JsonObject Document(string kind, JsonObject spec)
    {
        var body = (JsonObject)spec.DeepClone();
        var name = body["name"]?.DeepClone();
        body.Remove("name");
        return new JsonObject
        {
            ["apiVersion"] = SpecDocuments.ApiVersion,
            ["kind"] = kind,
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = body,
        };
    }
}
