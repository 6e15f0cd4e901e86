using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Core.Specs;
using Berth.Core.Specs.Binding;

namespace Berth.Core.Serialization;

/// <summary>Writes a byte count as <c>512Mi</c> and reads that form (or a JSON number of bytes).</summary>
internal sealed class ByteSizeJsonConverter : JsonConverter<long?>, ITextScalar
{
    public string Expected => "a size like 512Mi or 2Gi";

    public bool IsValid(string text) => TryParse(text, out _);

    public override long? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var bytes) && bytes > 0)
        {
            return bytes;
        }

        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return TryParse(text, out var value)
            ? value
            : throw new JsonException($"expected {Expected}, found {(text is null ? reader.TokenType.ToString() : $"'{text}'")}");
    }

    public override void Write(Utf8JsonWriter writer, long? value, JsonSerializerOptions options)
    {
        if (value is { } bytes)
        {
            writer.WriteStringValue(ByteSize.Format(bytes));
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static bool TryParse(string? text, out long bytes)
    {
        try
        {
            return ByteSize.TryParse(text, out bytes);
        }
        catch (OverflowException)
        {
            bytes = 0;
            return false;
        }
    }
}
