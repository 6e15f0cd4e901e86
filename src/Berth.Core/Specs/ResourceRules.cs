namespace Berth.Core.Specs;

/// <summary>Rules of a <see cref="ResourceSpec"/>, shared by agent specs and container steps so both accept and reject the same limits.</summary>
internal static class ResourceRules
{
    /// <summary>6Mi, Docker's own minimum for a container.</summary>
    public const long MinimumMemoryBytes = 6L << 20;

    /// <summary>Adds an error per bad limit; <paramref name="path"/> is the <c>resources</c> field's path (<c>spec.resources</c>).</summary>
    public static void Validate(ResourceSpec? resources, string path, List<SpecError> errors)
    {
        if (resources?.MemoryBytes is { } memory && memory < MinimumMemoryBytes)
        {
            errors.Add(new SpecError($"{path}.memory", $"{ByteSize.Format(memory)} is too small; expected at least 6Mi (Docker's minimum), like 512Mi"));
        }

        if (resources?.Cpus is { } cpus && (!double.IsFinite(cpus) || cpus <= 0))
        {
            errors.Add(new SpecError($"{path}.cpus", "must be more than zero; expected cores like 0.5 or 2, or millicores like 500m"));
        }
    }
}
