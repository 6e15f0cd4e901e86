using System.Text.Json;
using Berth.Core.Serialization;
using Berth.Storage.Mapping;

namespace Berth.Storage.Mapping;

/// <summary>Workflow specs, inputs, outputs and failures as stored: the API's JSON (<see cref="BerthJson.Options"/>) in text columns.</summary>
internal static class StoredJson
{
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, BerthJson.Options);

    public static string? SerializeOrNull<T>(T? value)
        where T : class => value is null ? null : Serialize(value);

    /// <summary>Reads <paramref name="json"/>, naming <paramref name="owner"/> and <paramref name="column"/> when it cannot.</summary>
    /// <exception cref="StoredDataException">The text is not JSON of a <typeparamref name="T"/>.</exception>
    public static T Deserialize<T>(string json, string owner, string column)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, BerthJson.Options)
                ?? throw new StoredDataException($"{owner} cannot be read: its {column} is JSON null. The database was probably edited by hand.");
        }
        catch (JsonException ex)
        {
            throw new StoredDataException(
                $"{owner} cannot be read: its {column} is not valid {typeof(T).Name} JSON ({ex.Message}). Was the database edited by hand or written by a newer Berth?", ex);
        }
    }

    public static T? DeserializeOrNull<T>(string? json, string owner, string column)
        where T : class => json is null ? null : Deserialize<T>(json, owner, column);

    public static DateTimeOffset Time(string text, string owner, string column) =>
        StoredTime.TryParse(text, out var time)
            ? time
            : throw new StoredDataException($"{owner} cannot be read: its {column} '{text}' is not an ISO 8601 UTC time. The database was probably edited by hand.");

    public static DateTimeOffset? TimeOrNull(string? text, string owner, string column) =>
        text is null ? null : Time(text, owner, column);

    public static TEnum Enum<TEnum>(string text, string owner, string column)
        where TEnum : struct, System.Enum =>
        StoredEnum<TEnum>.TryParse(text, out var value)
            ? value
            : throw new StoredDataException($"{owner} cannot be read: its {column} '{text}' is unknown. Was the database written by a newer Berth?");
}
