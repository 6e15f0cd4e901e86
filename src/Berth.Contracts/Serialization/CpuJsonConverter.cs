using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Core.Specs;
using Berth.Core.Specs.Binding;

namespace Berth.Core.Serialization;

/// <summary>Reads CPU cores as <c>0.5</c>, <c>2</c> or millicores <c>500m</c>; writes a JSON number of cores, so no precision is lost.</summary>
internal sealed class CpuJsonConverter : JsonConverter<double?>, ITextScalar
{
    public string Expected => "cores like 0.5 or 2, or millicores like 500m";

    public bool IsValid(string text) => CpuQuantity.TryParse(text, out _);

    public override double? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var cores))
        {
            return cores;
        }

        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return CpuQuantity.TryParse(text, out var value)
            ? value
            : throw new JsonException($"expected {Expected}, found {(text is null ? reader.TokenType.ToString() : $"'{text}'")}");
    }

    public override void Write(Utf8JsonWriter writer, double? value, JsonSerializerOptions options)
    {
        if (value is { } cores)
        {
            writer.WriteNumberValue(cores);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
