using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Core.Serialization;
using Berth.Core.Workflows;

namespace Berth.Core.Specs;

/// <summary>
/// Specs as the documents the API takes: <c>{ apiVersion, kind, metadata: { name }, spec }</c>, the spec's fields as in a YAML file,
/// defaults left out. Like a spec file, the text writes a literal <c>${</c> as <c>$${</c>, since reading a spec substitutes (or, on the
/// server, refuses) <c>${VAR}</c>.
/// </summary>
public static class SpecDocuments
{
    /// <summary>The only accepted <c>apiVersion</c>: <c>berth/v1</c>.</summary>
    public const string ApiVersion = "berth/v1";

    /// <summary>The <c>kind: Agent</c> document of <paramref name="spec"/>.</summary>
    public static JsonObject ToDocument(AgentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Document("Agent", spec.Name, JsonSerializer.SerializeToNode(spec, BerthJson.Options.GetTypeInfo(typeof(AgentSpec))));
    }

    /// <summary>The <c>kind: Topic</c> document of <paramref name="spec"/>.</summary>
    public static JsonObject ToDocument(Messaging.TopicSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Document("Topic", spec.Name, JsonSerializer.SerializeToNode(spec, BerthJson.Options.GetTypeInfo(typeof(Messaging.TopicSpec))));
    }

    /// <summary>The <c>kind: Subscription</c> document of <paramref name="spec"/>.</summary>
    public static JsonObject ToDocument(Messaging.SubscriptionSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Document("Subscription", spec.Name, JsonSerializer.SerializeToNode(spec, BerthJson.Options.GetTypeInfo(typeof(Messaging.SubscriptionSpec))));
    }

    /// <summary>The <c>kind: ModelEndpoint</c> document of <paramref name="spec"/>.</summary>
    public static JsonObject ToDocument(Llm.ModelEndpointSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Document("ModelEndpoint", spec.Name, JsonSerializer.SerializeToNode(spec, BerthJson.Options.GetTypeInfo(typeof(Llm.ModelEndpointSpec))));
    }

    /// <summary>The <c>kind: Workflow</c> document of <paramref name="spec"/>.</summary>
    public static JsonObject ToDocument(WorkflowSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Document("Workflow", spec.Name, JsonSerializer.SerializeToNode(spec, BerthJson.Options.GetTypeInfo(typeof(WorkflowSpec))));
    }

    private static JsonObject Document(string kind, string name, JsonNode? spec)
    {
        var fields = (JsonObject)spec!;
        fields.Remove("name");
        return new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = kind,
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = VariableEscapes.Escape(fields),
        };
    }
}
