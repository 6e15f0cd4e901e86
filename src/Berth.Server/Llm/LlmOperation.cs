using Berth.Core.Llm;

namespace Berth.Server.Llm;

/// <summary>
/// One of the provider paths the gateway serves under <c>/llm/{endpoint}/</c>, and where it goes upstream. The path after the
/// endpoint is the provider's own (<c>v1/chat/completions</c>, <c>v1/messages</c>): a client keeps its SDK and swaps the base
/// URL, <c>https://api.openai.com/v1</c> for <c>BERTH_URL/llm/{endpoint}/v1</c>, <c>https://api.anthropic.com</c> for
/// <c>BERTH_URL/llm/{endpoint}</c>.
/// </summary>
/// <param name="Name">The operation as recorded: <c>chat</c>, <c>responses</c>, <c>embeddings</c>, <c>messages</c> or <c>models</c>.</param>
/// <param name="SemanticName">Its <c>gen_ai.operation.name</c>: <c>chat</c> or <c>embeddings</c>.</param>
/// <param name="RelativePath">The path after the provider's base URL (OpenAI's base ends in <c>/v1</c>; Anthropic's does not).</param>
/// <param name="IsLocal">True for the model list, which Berth answers from the endpoint's spec without calling the provider.</param>
internal sealed record LlmOperation(string Name, string SemanticName, string RelativePath, bool IsLocal)
{
    /// <summary>What a caller may ask each provider, for the error that names them.</summary>
    public static string Served(ModelProvider provider) => provider == ModelProvider.Anthropic
        ? "POST v1/messages and GET v1/models"
        : "POST v1/chat/completions, POST v1/responses, POST v1/embeddings and GET v1/models";

    /// <summary>The operation <paramref name="method"/> on <paramref name="path"/> asks <paramref name="provider"/> for, or null when the gateway does not serve it.</summary>
    public static LlmOperation? Find(ModelProvider provider, string method, string path) => (provider, method, path) switch
    {
        (ModelProvider.OpenAI, "POST", "v1/chat/completions") => new("chat", "chat", "chat/completions", false),
        (ModelProvider.OpenAI, "POST", "v1/responses") => new("responses", "chat", "responses", false),
        (ModelProvider.OpenAI, "POST", "v1/embeddings") => new("embeddings", "embeddings", "embeddings", false),
        (ModelProvider.OpenAI, "GET", "v1/models") => new("models", "models", "models", true),
        (ModelProvider.Anthropic, "POST", "v1/messages") => new("messages", "chat", "v1/messages", false),
        (ModelProvider.Anthropic, "GET", "v1/models") => new("models", "models", "v1/models", true),
        _ => null,
    };
}
