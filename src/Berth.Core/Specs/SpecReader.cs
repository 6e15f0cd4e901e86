using Berth.Core.Serialization;
using Berth.Core.Specs.Yaml;
using Berth.Core.Workflows;
using Berth.Core.Workflows.Specs;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Berth.Core.Specs;

/// <summary>Reads Berth spec files: YAML, several documents separated by <c>---</c>, with <c>${VAR}</c> substitution.</summary>
public static class SpecReader
{
    /// <summary>The only accepted <c>apiVersion</c>: <c>berth/v1</c>.</summary>
    public const string ApiVersion = "berth/v1";

    /// <summary>Deepest nesting of mappings and lists a document may have, counting the document's own mapping: 64, as for JSON bodies.</summary>
    public const int MaximumDepth = BerthJson.MaximumDepth;

    /// <summary>The kinds a document may have.</summary>
    public static IReadOnlyList<string> SupportedKinds { get; } = ["Agent", "Workflow"];

    private static readonly string[] EnvelopeFields = ["apiVersion", "kind", "metadata", "spec"];
    private static readonly string[] MetadataFields = ["name"];

    /// <summary>Reads every document of <paramref name="text"/> and reports every problem at once; never throws for bad input.</summary>
    /// <param name="text">The spec text.</param>
    /// <param name="options">Substitution, path and naming options. Default <see cref="SpecReadOptions.Default"/>.</param>
    public static SpecSet Read(string text, SpecReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        options ??= SpecReadOptions.Default;
        var sourcePath = options.SourceName ?? "input";
        var substituted = VariableSubstitution.Apply(text, options.Environment, sourcePath);
        var errors = new List<SpecError>(substituted.Errors);

        // Errors on a line whose substitution failed are consequences of that failure, so only the failure is reported.
        var failedLines = substituted.Errors.Select(e => e.Line ?? 0).ToHashSet();
        var sortedFailedLines = failedLines.Order().ToArray();

        var stream = new YamlStream();
        SpecError? syntaxError = null;
        try
        {
            stream.Load(new BoundedParser(new Parser(new StringReader(substituted.Text))));
        }
        catch (YamlException exception)
        {
            var line = checked((int)exception.Start.Line);
            var column = substituted.Columns.ToOriginalColumn(line, checked((int)exception.Start.Column));
            syntaxError = new SpecError(sourcePath, $"invalid YAML: {exception.Message}", line, column);
        }

        var documents = stream.Documents
            .Select((document, index) => (Root: document.RootNode, Number: index + 1))
            .Where(d => !NodeReader.IsNull(d.Root))
            .ToList();
        var prefixed = documents.Count > 1 || (syntaxError is not null && documents.Count > 0);

        var agents = new List<AgentSpec>();
        var workflows = new List<WorkflowSpec>();
        var names = new Dictionary<(string Kind, string Name), (int Number, int Line)>();
        var agentReaders = new Dictionary<string, NodeReader>(StringComparer.Ordinal);
        for (var index = 0; index < documents.Count; index++)
        {
            var (root, number) = documents[index];
            var reader = new NodeReader(substituted.Columns);
            var (name, resource) = ReadDocument(root, reader, options.BaseDirectory);
            var documentErrors = reader.Errors.Where(e => !failedLines.Contains(e.Line ?? 0)).ToList();
            var nextStart = index + 1 < documents.Count ? documents[index + 1].Root.Start.Line : long.MaxValue;
            var substitutionFailed = AnyBetween(sortedFailedLines, root.Start.Line, nextStart);
            var (kind, resourceName) = resource switch
            {
                AgentSpec agent => ("agent", agent.Name),
                WorkflowSpec workflow => ("workflow", workflow.Name),
                _ => ("agent", string.Empty),
            };
            if (resource is not null && names.TryGetValue((kind, resourceName), out var first))
            {
                var (line, column) = reader.PositionOf("metadata.name") ?? (0, 0);
                documentErrors.Add(new SpecError("metadata.name", $"duplicate {kind} name '{resourceName}'; it is already defined in document {first.Number} (line {first.Line}); expected unique names", line, column));
            }
            else if (resource is not null)
            {
                names[(kind, resourceName)] = (number, reader.PositionOf("metadata.name")?.Line ?? 0);
            }

            var prefix = name is not null && SpecNames.IsDnsLabel(name) ? $"{kind}s/{name}: " : $"document {number}: ";
            errors.AddRange(documentErrors.Select(e => prefixed ? e with { Path = prefix + e.Path } : e));
            if (resource is not null && documentErrors.Count == 0 && !substitutionFailed)
            {
                if (resource is AgentSpec agent)
                {
                    agents.Add(agent);
                    agentReaders[agent.Name] = reader;
                }
                else
                {
                    workflows.Add((WorkflowSpec)resource);
                }
            }
        }

        errors.AddRange(DependencyCycles(agents, agentReaders, prefixed));
        if (syntaxError is not null && !failedLines.Contains(syntaxError.Line ?? 0))
        {
            errors.Add(syntaxError);
        }
        else if (syntaxError is null && documents.Count == 0 && errors.Count == 0)
        {
            errors.Add(new SpecError(sourcePath, $"no documents found; expected at least one document with apiVersion: {ApiVersion}, kind, metadata and spec"));
        }

        return new SpecSet { Agents = agents, Workflows = workflows, Errors = errors };
    }

    /// <summary>Agents of one text that depend on each other in a circle, reported at the dependency that closes each cycle.</summary>
    private static IEnumerable<SpecError> DependencyCycles(IReadOnlyList<AgentSpec> agents, IReadOnlyDictionary<string, NodeReader>? readers, bool prefixed)
    {
        var graph = agents.ToDictionary(a => a.Name, a => a.DependsOn, StringComparer.Ordinal);
        foreach (var (cycle, index) in AgentDependencyCycles.Find(graph))
        {
            var closing = cycle[^2];
            var path = $"spec.dependsOn[{index}]";
            var position = readers?.GetValueOrDefault(closing)?.PositionOf(path);
            yield return new SpecError((prefixed ? $"agents/{closing}: " : string.Empty) + path, AgentDependencyCycles.Message(cycle), position?.Line, position?.Column);
        }
    }

    // A binary search, so a text of many documents is not read in quadratic time.
    private static bool AnyBetween(int[] sortedLines, long from, long before)
    {
        var at = Array.BinarySearch(sortedLines, (int)Math.Min(from, int.MaxValue));
        var first = at >= 0 ? at : ~at;
        return first < sortedLines.Length && sortedLines[first] < before;
    }

    private static (string? Name, object? Resource) ReadDocument(YamlNode root, NodeReader reader, string? baseDirectory)
    {
        if (root is not YamlMappingNode map)
        {
            reader.Error("document", root, "expected a mapping with apiVersion, kind, metadata and spec");
            return (null, null);
        }

        reader.Locate(string.Empty, root);
        YamlNode? apiVersion = null, kind = null, metadata = null, spec = null;
        foreach (var (key, _, value) in reader.Fields(map, string.Empty, EnvelopeFields))
        {
            switch (key)
            {
                case "apiVersion":
                    apiVersion = value;
                    break;
                case "kind":
                    kind = value;
                    break;
                case "metadata":
                    metadata = value;
                    break;
                default:
                    spec = value;
                    break;
            }
        }

        var name = ReadName(metadata, root, reader);
        var version = apiVersion is null ? null : reader.Text(apiVersion, "apiVersion");
        if (version != ApiVersion && (apiVersion is null || version is not null || NodeReader.IsNull(apiVersion)))
        {
            reader.Error("apiVersion", apiVersion ?? root, version is null ? $"required; expected {ApiVersion}" : $"unsupported apiVersion '{version}'; expected {ApiVersion}");
        }

        var kindName = kind is null ? null : reader.Text(kind, "kind");
        if (kindName is not ("Agent" or "Workflow"))
        {
            if (kind is null || kindName is not null || NodeReader.IsNull(kind))
            {
                var suggestion = kindName is null ? null : FieldSuggester.Suggest(kindName, SupportedKinds);
                reader.Error("kind", kind ?? root, kindName is null
                    ? $"required; supported kinds: {string.Join(", ", SupportedKinds)}"
                    : $"unsupported kind '{kindName}'; supported kinds: {string.Join(", ", SupportedKinds)}" + (suggestion is null ? string.Empty : $"; did you mean '{suggestion}'?"));
            }

            return (name, null);
        }

        var expected = kindName == "Agent" ? "the agent's image, build or process and its settings" : "the workflow's inputs and steps";
        if (spec is null)
        {
            reader.Error("spec", root, $"required; expected a mapping with {expected}");
            return (name, null);
        }

        if (reader.Mapping(spec, "spec", kindName == "Agent" ? "{ image: local/echo:1 }" : "{ steps: [...] }") is not { } specMap)
        {
            if (NodeReader.IsNull(spec))
            {
                reader.Error("spec", spec, $"expected a mapping with {expected}, found nothing");
            }

            return (name, null);
        }

        if (kindName == "Workflow")
        {
            var workflow = new WorkflowDocumentReader(reader).Read(name ?? string.Empty, specMap, "spec");
            reader.AddValidationErrors(WorkflowSpecValidator.Validate(workflow));
            return (name, workflow);
        }

        var agent = new AgentDocumentReader(reader, baseDirectory).Read(name ?? string.Empty, specMap, "spec");
        reader.AddValidationErrors(AgentSpecValidator.Validate(agent));
        return (name, agent);
    }

    private static string? ReadName(YamlNode? metadata, YamlNode root, NodeReader reader)
    {
        if (metadata is null)
        {
            reader.Error("metadata.name", root, $"required; expected metadata: {{ name: ... }} with {SpecNames.DnsLabelHint}");
            return null;
        }

        if (reader.Mapping(metadata, "metadata", "{ name: echo }") is not { } map)
        {
            return null;
        }

        string? name = null;
        foreach (var (_, path, value) in reader.Fields(map, "metadata", MetadataFields))
        {
            name = reader.Text(value, path);
        }

        return name;
    }
}
