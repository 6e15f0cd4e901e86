using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Core.Llm;

namespace Berth.Server.Llm;

/// <summary>
/// A call's JSON body as the gateway needs it: the model asked for, whether a stream is wanted, the output cap, and the body
/// each endpoint gets (its own model name in place of an alias; OpenAI chat streams asked to end with their usage).
/// </summary>
internal sealed class LlmRequestBody
{
    /// <summary>The output a call is assumed to produce when it sets no cap, for estimates: 4,096 tokens.</summary>
    public const long AssumedOutputTokens = 4096;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    private readonly byte[] _bytes;
    private readonly JsonObject _root;
    private readonly LlmOperation _operation;

    private LlmRequestBody(byte[] bytes, JsonObject root, LlmOperation operation, string model)
    {
        _bytes = bytes;
        _root = root;
        _operation = operation;
        Model = model;
        Stream = root["stream"] is JsonValue stream && stream.GetValueKind() == JsonValueKind.True;
        MaxTokens = Cap(root["max_tokens"]) ?? Cap(root["max_completion_tokens"]) ?? Cap(root["max_output_tokens"]);
    }

    /// <summary>The model as the caller named it (perhaps an alias).</summary>
    public string Model { get; }

    /// <summary>Whether the caller asked for a stream of events.</summary>
    public bool Stream { get; }

    /// <summary>The output cap the caller set (<c>max_tokens</c>, <c>max_completion_tokens</c> or <c>max_output_tokens</c>); null when none.</summary>
    public long? MaxTokens { get; }

    /// <summary>
    /// The most tokens the call can use, estimated before it goes out: its prompt at about four bytes a token, plus its output
    /// cap (or <see cref="AssumedOutputTokens"/>; embeddings produce none).
    /// </summary>
    public long EstimatedTokens => (_bytes.Length / 4) + (_operation.Name == "embeddings" ? 0 : MaxTokens ?? AssumedOutputTokens);

    /// <summary>The body, or the reason it cannot be sent (for a 400 answer).</summary>
    public static (LlmRequestBody? Body, string? Problem) Parse(byte[] bytes, LlmOperation operation)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(operation);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(bytes, documentOptions: Options);
        }
        catch (JsonException exception)
        {
            return (null, $"The body is not valid JSON: {exception.Message.Split(" Path:", 2)[0].Trim()} Send the provider's own request body.");
        }

        if (root is not JsonObject body)
        {
            return (null, "The body must be a JSON object, the provider's own request body.");
        }

        if (body["model"] is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            return (null, "The body names no model: set \"model\" to one the endpoint lists (GET v1/models lists them).");
        }

        var model = value.GetValue<string>();
        return ModelRules.IsModelName(model)
            ? (new LlmRequestBody(bytes, body, operation, model), null)
            : (null, $"\"model\" is not valid; expected {ModelRules.ModelNameHint}.");
    }

    /// <summary>The body to send to an endpoint of <paramref name="provider"/> whose entry for the model is <paramref name="entry"/>.</summary>
    public byte[] For(ModelProvider provider, ModelEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var rename = !string.Equals(entry.Name, Model, StringComparison.Ordinal);
        var askForUsage = provider == ModelProvider.OpenAI && _operation.Name == "chat" && Stream && !IncludesUsage();
        if (!rename && !askForUsage)
        {
            return _bytes;
        }

        var copy = (JsonObject)_root.DeepClone();
        copy["model"] = entry.Name;
        if (askForUsage)
        {
            // Without it an OpenAI stream never says what it used; the caller gets one more chunk (no choices, the usage).
            var options = copy["stream_options"] as JsonObject ?? [];
            options["include_usage"] = true;
            copy["stream_options"] = options;
        }

        return System.Text.Encoding.UTF8.GetBytes(copy.ToJsonString());
    }

    private bool IncludesUsage() =>
        _root["stream_options"] is JsonObject options && options["include_usage"] is JsonValue include && include.GetValueKind() == JsonValueKind.True;

    private static long? Cap(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var cap) && cap > 0 ? cap : null;
}
