using System.Text.Json;

namespace Berth.Cli.Commands.Bench;

/// <summary>
/// Reads token counts from an answer's top-level <c>usage</c> object: OpenAI's <c>prompt_tokens</c>, <c>completion_tokens</c> and
/// <c>total_tokens</c>, or Anthropic's <c>input_tokens</c> and <c>output_tokens</c> (a missing total is their sum).
/// </summary>
internal static class UsageReader
{
    /// <summary>The answer's usage, or null when the body is not a JSON object with a usage object of token counts.</summary>
    public static (long Prompt, long Completion, long Total)? Read(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("usage", out var usage) || usage.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var prompt = Count(usage, "prompt_tokens") ?? Count(usage, "input_tokens");
            var completion = Count(usage, "completion_tokens") ?? Count(usage, "output_tokens");
            var total = Count(usage, "total_tokens");
            if (prompt is null && completion is null && total is null)
            {
                return null;
            }

            return (prompt ?? 0, completion ?? 0, total ?? (prompt ?? 0) + (completion ?? 0));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static long? Count(JsonElement usage, string name) =>
        usage.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var count) && count >= 0 ? count : null;
}
