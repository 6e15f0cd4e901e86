using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Core.Serialization;

/// <summary>Writes a <see cref="DateTimeOffset"/> as ISO 8601 UTC ending in <c>Z</c> (<c>2026-12-05T07:25:00.1230000Z</c>); reads any ISO 8601 time.</summary>
public sealed class UtcTimeJsonConverter : JsonConverter<DateTimeOffset>
{
    /// <inheritdoc />
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value.ToUniversalTime()
            : throw new JsonException("expected an ISO 8601 time like 2026-12-05T07:25:00Z");

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
    }
}
