using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Server.Workflows.Caching;

/// <summary>
/// JSON text that depends only on the value, not on how it was written: object members in ordinal order at every depth, no
/// whitespace. Two inputs equal as values (<c>{"a":1,"b":2}</c> and <c>{"b":2,"a":1}</c>) hash to the same cache key part.
/// </summary>
internal static class CanonicalJson
{
    public static string Of(JsonNode? node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, node);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject map:
                writer.WriteStartObject();
                foreach (var (name, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(name);
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonArray list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
