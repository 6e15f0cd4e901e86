namespace Berth.Core.Specs;

/// <summary>One document read: its kind and name when they could be read, the resource when it is valid, and every problem found.</summary>
internal sealed record SpecDocument(SpecKind? Kind, string? Name, object? Resource, IReadOnlyList<SpecError> Errors);
