using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Core.Specs;
using Berth.Core.Specs.Binding;

namespace Berth.Core.Serialization;

/// <summary>Writes <see cref="TimeSpan"/> as <c>30s</c> and reads that form (or a JSON number of seconds).</summary>
internal sealed class DurationJsonConverter : JsonConverter<TimeSpan>, ITextScalar
{
    public string Expected => "a duration like 30s, 5m or 1h";

    public bool IsValid(string text) => TryParse(text, out _);

    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var seconds) && seconds >= 0 && seconds <= TimeSpan.MaxValue.TotalSeconds)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return TryParse(text, out var value)
            ? value
            : throw new JsonException($"expected {Expected}, found {(text is null ? reader.TokenType.ToString() : $"'{text}'")}");
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Duration.Format(value));

    private static bool TryParse(string? text, out TimeSpan value)
    {
        try
        {
            return Duration.TryParse(text, out value);
        }
        catch (OverflowException)
        {
            value = TimeSpan.Zero;
            return false;
        }
    }
}
