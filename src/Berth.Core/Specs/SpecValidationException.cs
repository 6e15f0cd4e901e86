namespace Berth.Core.Specs;

/// <summary>Thrown when a spec has one or more problems; <see cref="Errors"/> lists every one of them.</summary>
public sealed class SpecValidationException : Exception
{
    /// <summary>Creates the exception from the full list of problems.</summary>
    public SpecValidationException(IReadOnlyList<SpecError> errors)
        : base(FormatMessage(errors)) => Errors = errors;

    /// <summary>Every problem found, in document order.</summary>
    public IReadOnlyList<SpecError> Errors { get; }

    private static string FormatMessage(IReadOnlyList<SpecError> errors) =>
        errors.Count == 1
            ? $"The spec is invalid: {errors[0]}"
            : $"The spec has {errors.Count} problems:{Environment.NewLine}" + string.Join(Environment.NewLine, errors.Select(e => "  " + e));
}
