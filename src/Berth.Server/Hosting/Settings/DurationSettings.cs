using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using Berth.Core.Specs;

namespace Berth.Server.Hosting.Settings;

/// <summary>
/// Durations in server settings, written as in specs and the CLI (<c>30s</c>, <c>5m</c>, <c>1h30m</c>, <c>500ms</c>) or as a
/// TimeSpan (<c>00:00:30</c>). A bare number is refused: the TimeSpan parser would read <c>30</c> as thirty days.
/// </summary>
internal static class DurationSettings
{
    /// <summary>What a duration setting must look like, for validation messages.</summary>
    public const string Hint = "a duration like 30s";

    private const int MaxDepth = 4;

    private static readonly ConcurrentDictionary<Type, IReadOnlyList<string>> KeysByType = new();

    /// <summary>Reads <paramref name="text"/> as <c>30s</c> or <c>00:00:30</c>.</summary>
    public static bool TryParse(string text, out TimeSpan value) =>
        Duration.TryParse(text, out value) ||
        (text.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value));

    /// <summary>
    /// The keys, relative to the section <paramref name="type"/> binds from (<c>Reconciler:Interval</c>), of its settable
    /// TimeSpan properties and those of the settings groups it holds.
    /// </summary>
    public static IReadOnlyList<string> KeysOf(Type type) => KeysByType.GetOrAdd(type, t => [.. Walk(t, "", 0)]);

    private static IEnumerable<string> Walk(Type type, string prefix, int depth)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var key = prefix + property.Name;
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (propertyType == typeof(TimeSpan) && property.CanWrite)
            {
                yield return key;
            }
            else if (depth < MaxDepth && IsGroup(propertyType))
            {
                foreach (var nested in Walk(propertyType, key + ":", depth + 1))
                {
                    yield return nested;
                }
            }
        }
    }

    // A nested settings class of Berth's own (BerthOptions.Requests), not a string, a list or a framework type.
    private static bool IsGroup(Type type) =>
        type.IsClass && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type) &&
        type.Namespace?.StartsWith("Berth.", StringComparison.Ordinal) == true;
}
