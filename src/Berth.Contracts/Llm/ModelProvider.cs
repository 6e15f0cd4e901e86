using System.Text.Json.Serialization;
using Berth.Core.Serialization;

namespace Berth.Core.Llm;

/// <summary>The API a model endpoint speaks; OpenAI's also covers the many servers compatible with it (vLLM, Ollama, LiteLLM).</summary>
// Kebab case would spell OpenAI open-ai; the member names say what specs and providers write.
[JsonConverter(typeof(KebabCaseEnumConverter<ModelProvider>))]
public enum ModelProvider
{
    /// <summary>OpenAI's API: <c>/v1/chat/completions</c>, <c>/v1/responses</c>, <c>/v1/embeddings</c>, <c>/v1/models</c>; the key goes in <c>Authorization: Bearer</c>.</summary>
    [JsonStringEnumMemberName("openai")]
    OpenAI,

    /// <summary>Anthropic's API: <c>/v1/messages</c>, <c>/v1/models</c>; the key goes in <c>x-api-key</c>.</summary>
    [JsonStringEnumMemberName("anthropic")]
    Anthropic,
}
