using Berth.Core.Serialization;
using Berth.Core.Specs.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Berth.Core.Specs;

/// <summary>Reads Berth spec files: YAML, several documents separated by <c>---</c>, with <c>${VAR}</c> substitution.</summary>
public static class SpecReader
{
    /// <summary>The only accepted <c>apiVersion</c>: <c>berth/v1</c>.</summary>
    public const string ApiVersion = SpecDocuments.ApiVersion;

    /// <summary>Deepest nesting of mappings and lists a document may have, counting the document's own mapping: 64, as for JSON bodies.</summary>
    public const int MaximumDepth = BerthJson.MaximumDepth;

    /// <summary>The kinds a document may have.</summary>
    public static IReadOnlyList<string> SupportedKinds { get; } = [.. SpecKinds.All.Select(k => k.Name)];

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

        var roots = stream.Documents.Select(d => d.RootNode).Where(r => !IsNull(r)).ToList();
        var prefixed = roots.Count > 1 || (syntaxError is not null && roots.Count > 0);
        (int Line, int Column) Position(Mark mark) => (checked((int)mark.Line), substituted.Columns.ToOriginalColumn(checked((int)mark.Line), checked((int)mark.Column)));

        var resources = new List<object>();
        var documents = new Dictionary<(SpecKind Kind, string Name), (int Number, int Line, SourceMap Map)>();
        for (var index = 0; index < roots.Count; index++)
        {
            var map = new SourceMap();
            var treeErrors = new List<SpecError>();
            var tree = YamlTree.ToJson(roots[index], string.Empty, map, Position, treeErrors);
            var document = treeErrors.Count > 0 ? new SpecDocument(null, null, null, treeErrors) : SpecDocumentReader.Read(tree, map, options);
            var documentErrors = document.Errors.Where(e => !failedLines.Contains(e.Line ?? 0)).ToList();
            var nextStart = index + 1 < roots.Count ? roots[index + 1].Start.Line : long.MaxValue;
            var substitutionFailed = AnyBetween(sortedFailedLines, roots[index].Start.Line, nextStart);
            if (document is { Kind: { } kind, Name: { } name } && documents.TryGetValue((kind, name), out var first))
            {
                var (line, column) = map.ValueOf("metadata.name") ?? (0, 0);
                documentErrors.Add(new SpecError("metadata.name", $"duplicate {kind.Noun} name '{name}'; it is already defined in document {first.Number} (line {first.Line}); expected unique names", line, column));
            }
            else if (document is { Kind: { } newKind, Name: { } newName })
            {
                documents[(newKind, newName)] = (index + 1, map.ValueOf("metadata.name")?.Line ?? 0, map);
            }

            var prefix = document.Name is { } n && SpecNames.IsDnsLabel(n) ? $"{document.Kind?.Noun ?? "agent"}s/{n}: " : $"document {index + 1}: ";
            errors.AddRange(documentErrors.Select(e => prefixed ? e with { Path = prefix + e.Path } : e));
            if (document.Resource is { } resource && documentErrors.Count == 0 && !substitutionFailed)
            {
                resources.Add(resource);
            }
        }

        var agents = resources.OfType<AgentSpec>().ToList();
        errors.AddRange(DependencyCycles(agents, name => documents.GetValueOrDefault((SpecKinds.Agent, name)).Map, prefixed));
        if (syntaxError is not null && !failedLines.Contains(syntaxError.Line ?? 0))
        {
            errors.Add(syntaxError);
        }
        else if (syntaxError is null && roots.Count == 0 && errors.Count == 0)
        {
            errors.Add(new SpecError(sourcePath, $"no documents found; expected at least one document with apiVersion: {ApiVersion}, kind, metadata and spec"));
        }

        return new SpecSet { Resources = resources, Errors = errors };
    }

    /// <summary>Agents of one text that depend on each other in a circle, reported at the dependency that closes each cycle.</summary>
    private static IEnumerable<SpecError> DependencyCycles(IReadOnlyList<AgentSpec> agents, Func<string, SourceMap?> mapOf, bool prefixed)
    {
        var graph = agents.ToDictionary(a => a.Name, a => a.DependsOn, StringComparer.Ordinal);
        foreach (var (cycle, index) in AgentDependencyCycles.Find(graph))
        {
            var closing = cycle[^2];
            var path = $"spec.dependsOn[{index}]";
            var position = mapOf(closing)?.ValueOf(path);
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

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };
}
