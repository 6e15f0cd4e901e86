using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Core.Specs;

namespace Berth.Core.Serialization;

/// <summary>Writes <see cref="TimeSpan"/> as <c>30s</c> and reads that form (or a JSON number of seconds).</summary>
internal sealed class DurationJsonConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return Duration.TryParse(text, out var value)
            ? value
            : throw new JsonException($"expected a duration like 30s, 5m or 1h, got {(text is null ? reader.TokenType.ToString() : $"'{text}'")}");
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Duration.Format(value));
}
