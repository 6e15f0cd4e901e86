namespace Berth.Core.Specs;

/// <summary>One problem found in a spec, located by its path (<c>spec.health.interval</c>) and, for YAML input, its line and column.</summary>
/// <param name="Path">Dotted path to the offending field, prefixed by the document when a file holds several (<c>agents[1].spec.port</c>).</param>
/// <param name="Message">What is wrong and how to fix it.</param>
/// <param name="Line">1-based line in the source text, or null when unknown.</param>
/// <param name="Column">1-based column in the source text, or null when unknown.</param>
public sealed record SpecError(string Path, string Message, int? Line = null, int? Column = null)
{
    /// <inheritdoc />
    public override string ToString() =>
        Line is null ? $"{Path}: {Message}" : $"{Path} (line {Line}, column {Column}): {Message}";
}
