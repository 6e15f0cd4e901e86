using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Core.Serialization;
using Berth.Core.Specs.Yaml;
using Berth.Core.Workflows;

namespace Berth.Core.Specs;

/// <summary>Writes a spec as a document that <see cref="SpecReader"/> reads back to an equal spec: its JSON (defaults left out) in the envelope, as YAML or JSON.</summary>
public static class SpecWriter
{
    /// <summary>A full <c>kind: Agent</c> document: apiVersion, kind, metadata and spec, defaults left out; durations written as <c>30s</c>, sizes as <c>512Mi</c>.</summary>
    public static string ToYaml(AgentSpec spec) => JsonYamlWriter.Write(ToDocument(spec));

    /// <summary>A full <c>kind: Workflow</c> document, defaults left out.</summary>
    public static string ToYaml(WorkflowSpec spec) => JsonYamlWriter.Write(ToDocument(spec));

    /// <summary>
    /// The document the API takes for an agent: <c>{ apiVersion, kind, metadata: { name }, spec }</c>. Like a spec file, its text
    /// writes a literal <c>${</c> as <c>$${</c>, since reading a spec substitutes (or, on the server, refuses) <c>${VAR}</c>.
    /// </summary>
    public static JsonObject ToDocument(AgentSpec spec) => Document(SpecKinds.Agent, spec);

    /// <summary>The document the API takes for a workflow.</summary>
    public static JsonObject ToDocument(WorkflowSpec spec) => Document(SpecKinds.Workflow, spec);

    private static JsonObject Document(SpecKind kind, object resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var spec = (JsonObject)JsonSerializer.SerializeToNode(resource, BerthJson.Options.GetTypeInfo(kind.RecordType))!;
        spec.Remove("name");
        return new JsonObject
        {
            ["apiVersion"] = SpecReader.ApiVersion,
            ["kind"] = kind.Name,
            ["metadata"] = new JsonObject { ["name"] = kind.NameOf(resource) },
            ["spec"] = VariableEscapes.Escape(spec),
        };
    }
}
