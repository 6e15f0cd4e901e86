using System.Text.Json.Nodes;
using Berth.Core.Specs.Binding;

namespace Berth.Core.Specs;

/// <summary>
/// One kind of spec document (<c>kind: Agent</c>): the record its <c>spec</c> is read into and the validator of that record.
/// Reading, writing and the API's errors are the same for every kind; adding a kind adds one of these to <see cref="SpecKinds.All"/>.
/// </summary>
internal abstract class SpecKind(string name)
{
    /// <summary>The <c>kind</c> as written: <c>Agent</c>.</summary>
    public string Name { get; } = name;

    /// <summary>The kind in messages and error prefixes: <c>agent</c>.</summary>
    public string Noun { get; } = name.ToLowerInvariant();

    /// <summary>Reads <paramref name="spec"/> into the record named <paramref name="resourceName"/>; null when the binder reported errors.</summary>
    public abstract object? Bind(SpecBinder binder, JsonNode spec, string resourceName);

    /// <summary>The record with relative paths resolved against the spec file's directory.</summary>
    public abstract object ResolvePaths(object resource, string baseDirectory);

    public abstract IReadOnlyList<SpecError> Validate(object resource, SpecValidationContext? context);
}
