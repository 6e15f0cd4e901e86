using Berth.Core.Specs.Yaml;
using Berth.Core.Workflows;

namespace Berth.Core.Specs;

/// <summary>Writes a spec as a YAML document that <see cref="SpecReader"/> reads back to an equal spec: its <see cref="SpecDocuments"/> document through the one JSON-to-YAML writer.</summary>
public static class SpecWriter
{
    /// <summary>A full <c>kind: Agent</c> document: apiVersion, kind, metadata and spec, defaults left out; durations written as <c>30s</c>, sizes as <c>512Mi</c>.</summary>
    public static string ToYaml(AgentSpec spec) => JsonYamlWriter.Write(SpecDocuments.ToDocument(spec));

    /// <summary>A full <c>kind: Workflow</c> document, defaults left out.</summary>
    public static string ToYaml(WorkflowSpec spec) => JsonYamlWriter.Write(SpecDocuments.ToDocument(spec));
}
