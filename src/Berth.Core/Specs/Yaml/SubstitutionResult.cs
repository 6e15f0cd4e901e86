namespace Berth.Core.Specs.Yaml;

/// <summary>Text after variable substitution, the problems found, and the map from its columns back to the original.</summary>
internal sealed record SubstitutionResult(string Text, IReadOnlyList<SpecError> Errors, ColumnMap Columns);
