using System.Text.Json.Nodes;
using Berth.Core.Specs.Binding;

namespace Berth.Core.Specs;

/// <summary>A <see cref="SpecKind"/> whose <c>spec</c> is read into <typeparamref name="T"/>.</summary>
internal sealed class SpecKind<T>(
    string name,
    Func<T, string, T> withName,
    Func<T, SpecValidationContext?, IReadOnlyList<SpecError>> validate,
    Func<T, string, T>? resolvePaths = null) : SpecKind(name)
    where T : class
{
    public override object? Bind(SpecBinder binder, JsonNode spec, string resourceName) =>
        binder.Bind<T>(spec, "spec") is { } record ? withName(record, resourceName) : null;

    public override object ResolvePaths(object resource, string baseDirectory) =>
        resolvePaths is null ? resource : resolvePaths((T)resource, baseDirectory);

    public override IReadOnlyList<SpecError> Validate(object resource, SpecValidationContext? context) => validate((T)resource, context);
}
