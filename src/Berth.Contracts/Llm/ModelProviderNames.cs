namespace Berth.Core.Llm;

/// <summary>Providers as specs, records and telemetry spell them.</summary>
public static class ModelProviderNames
{
    /// <summary><c>openai</c> or <c>anthropic</c>, as in a spec's <c>provider</c> and in <c>gen_ai.provider.name</c>.</summary>
    public static string WireName(this ModelProvider provider) => provider == ModelProvider.Anthropic ? "anthropic" : "openai";
}
