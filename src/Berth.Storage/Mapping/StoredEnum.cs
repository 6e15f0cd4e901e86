using System.Text.Json;

namespace Berth.Storage.Mapping;

/// <summary>Enum values as stored: kebab-case text (<c>running</c>), the same spelling as the API, so a renumbered enum cannot corrupt rows.</summary>
internal static class StoredEnum<T>
    where T : struct, Enum
{
    private static readonly Dictionary<T, string> Texts =
        Enum.GetValues<T>().ToDictionary(v => v, v => JsonNamingPolicy.KebabCaseLower.ConvertName(v.ToString()));

    private static readonly Dictionary<string, T> Values = Texts.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    public static string ToText(T value) =>
        Texts.TryGetValue(value, out var text) ? text : throw new ArgumentOutOfRangeException(nameof(value), value, $"Not a defined {typeof(T).Name}.");

    public static bool TryParse(string? text, out T value)
    {
        value = default;
        return text is not null && Values.TryGetValue(text, out value);
    }
}
