namespace Berth.Core.Workflows.Specs;

/// <summary>How error classes are written in specs (<c>retry.on</c>), matching their JSON names.</summary>
internal static class ErrorClassNames
{
    private static readonly Dictionary<string, ErrorClass> ByName = new(StringComparer.Ordinal)
    {
        ["transient"] = ErrorClass.Transient,
        ["timeout"] = ErrorClass.Timeout,
        ["resource"] = ErrorClass.Resource,
        ["user"] = ErrorClass.User,
        ["config"] = ErrorClass.Config,
        ["circuit-open"] = ErrorClass.CircuitOpen,
        ["cancelled"] = ErrorClass.Cancelled,
    };

    public static string All { get; } = string.Join(", ", ByName.Keys);

    public static IReadOnlyCollection<string> Names => ByName.Keys;

    public static bool TryParse(string name, out ErrorClass value) => ByName.TryGetValue(name, out value);

    public static string Format(ErrorClass value) => ByName.First(p => p.Value == value).Key;
}
