using System.Text.Json.Nodes;
using Berth.Core.Serialization;
using Berth.Core.Specs.Binding;
using Berth.Core.Specs.Yaml;

namespace Berth.Core.Specs;

/// <summary>Reads one document (<c>apiVersion</c>, <c>kind</c>, <c>metadata</c>, <c>spec</c>) from its JSON tree, whether it was written as YAML or JSON.</summary>
internal static class SpecDocumentReader
{
    private static readonly string[] EnvelopeFields = ["apiVersion", "kind", "metadata", "spec"];
    private static readonly string[] MetadataFields = ["name"];

    public static SpecDocument Read(JsonNode? root, SourceMap map, SpecReadOptions options)
    {
        var errors = new List<SpecError>();
        void Fail(string path, string message) => errors.Add(map.Locate(new SpecError(path, message)));

        if (root is not JsonObject document)
        {
            Fail("document", "expected a mapping with apiVersion, kind, metadata and spec");
            return new SpecDocument(null, null, null, errors);
        }

        foreach (var (key, _) in document.Where(f => !EnvelopeFields.Contains(f.Key, StringComparer.Ordinal)))
        {
            var position = map.KeyOf(key);
            errors.Add(new SpecError(key, FieldSuggester.UnknownField(key, EnvelopeFields), position?.Line, position?.Column));
        }

        var name = ReadName(document["metadata"], map, errors, Fail);
        var version = Text(document["apiVersion"]);
        if (version != SpecReader.ApiVersion)
        {
            Fail("apiVersion", version is null ? $"required; expected {SpecReader.ApiVersion}" : $"unsupported apiVersion '{version}'; expected {SpecReader.ApiVersion}");
        }

        var kindName = Text(document["kind"]);
        var kind = kindName is null ? null : SpecKinds.Find(kindName);
        var supported = string.Join(", ", SpecKinds.All.Select(k => k.Name));
        if (kind is null)
        {
            var suggestion = kindName is null ? null : FieldSuggester.Suggest(kindName, SpecKinds.All.Select(k => k.Name));
            Fail("kind", kindName is null
                ? $"required; supported kinds: {supported}"
                : $"unsupported kind '{kindName}'; supported kinds: {supported}" + (suggestion is null ? string.Empty : $"; did you mean '{suggestion}'?"));
            return new SpecDocument(null, name, null, errors);
        }

        if (document["spec"] is not JsonObject spec)
        {
            var found = document["spec"] switch
            {
                JsonArray => "a list",
                JsonValue value => $"'{value}'",
                _ => "nothing",
            };
            Fail("spec", document.ContainsKey("spec")
                ? $"expected a mapping with the {kind.Noun}'s settings, found {found}"
                : $"required; expected a mapping with the {kind.Noun}'s settings");
            return new SpecDocument(kind, name, null, errors);
        }

        if (spec.ContainsKey("name"))
        {
            Fail("spec.name", "unknown field; the name goes in metadata.name");
        }

        var binder = new SpecBinder(BerthJson.Options, map);
        var resource = kind.Bind(binder, spec, name ?? string.Empty);
        errors.AddRange(binder.Errors);
        if (resource is null)
        {
            return new SpecDocument(kind, name, null, errors);
        }

        if (options.BaseDirectory is { } baseDirectory)
        {
            resource = kind.ResolvePaths(resource, baseDirectory);
        }

        // Validated even when some values failed to read (they hold defaults), so every problem is reported at once.
        errors.AddRange(kind.Validate(resource, options.ValidationContext).Where(e => !binder.IsRelatedToAFailure(e.Path) && !errors.Exists(known => known.Path == e.Path)).Select(map.Locate));
        return new SpecDocument(kind, name, errors.Count == 0 ? resource : null, errors);
    }

    private static string? ReadName(JsonNode? metadata, SourceMap map, List<SpecError> errors, Action<string, string> fail)
    {
        if (metadata is JsonArray or JsonValue)
        {
            fail("metadata", $"expected a mapping like {{ name: echo }}, found {(metadata is JsonArray ? "a list" : $"'{metadata}'")}");
            return null;
        }

        if (metadata is not JsonObject fields)
        {
            fail("metadata.name", $"required; expected metadata: {{ name: ... }} with {SpecNames.DnsLabelHint}");
            return null;
        }

        foreach (var (key, _) in fields.Where(f => !MetadataFields.Contains(f.Key, StringComparer.Ordinal)))
        {
            var position = map.KeyOf(SpecPaths.Member("metadata", key));
            errors.Add(new SpecError(SpecPaths.Member("metadata", key), FieldSuggester.UnknownField(key, MetadataFields), position?.Line, position?.Column));
        }

        return Text(fields["name"]);
    }

    private static string? Text(JsonNode? node) => node is JsonValue value ? value.ToString() : null;
}
