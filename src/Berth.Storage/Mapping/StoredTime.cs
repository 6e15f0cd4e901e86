using System.Globalization;

namespace Berth.Storage.Mapping;

/// <summary>Times as stored: ISO 8601 UTC text with seven fractional digits, fixed width so text order is time order.</summary>
internal static class StoredTime
{
    private const string TextFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff'Z'";

    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString(TextFormat, CultureInfo.InvariantCulture);

    public static string? Format(DateTimeOffset? time) => time is { } value ? Format(value) : null;

    public static bool TryParse(string? text, out DateTimeOffset time)
    {
        time = default;
        if (!DateTimeOffset.TryParseExact(text, TextFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }

        time = parsed.ToUniversalTime();
        return true;
    }
}
