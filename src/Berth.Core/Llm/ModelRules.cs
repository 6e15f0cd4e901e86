using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Berth.Core.Llm;

/// <summary>How model names and an agent's model grants (<c>access.models</c>) are written.</summary>
public static class ModelRules
{
    /// <summary>The longest model name: 200 characters.</summary>
    public const int MaxModelNameLength = 200;

    /// <summary>What a model name may be, for error messages.</summary>
    public const string ModelNameHint = "a model name of at most 200 letters, digits and '.', '-', '_', ':', '/', '@' or '+', like gpt-4o-mini or meta-llama/Llama-3-8B";

    /// <summary>What a grant may be, for error messages.</summary>
    public const string GrantHint = "an endpoint name (every model it lists) or ENDPOINT/MODEL (one of them, by name or alias), like openai or openai/gpt-4o-mini";

    // The characters providers use in model names (Ollama's llama3:8b, vLLM's org/model, Bedrock-style @versions).
    private static readonly SearchValues<char> ModelCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_:/@+");

    /// <summary>True when <paramref name="name"/> is a model name Berth accepts (and can put in a header or a log line unchanged).</summary>
    public static bool IsModelName([NotNullWhen(true)] string? name) =>
        name is { Length: > 0 and <= MaxModelNameLength } && !name.AsSpan().ContainsAnyExcept(ModelCharacters);

    /// <summary>True when <paramref name="grant"/> is <c>ENDPOINT</c> or <c>ENDPOINT/MODEL</c>.</summary>
    public static bool IsGrant(string? grant)
    {
        if (grant is null)
        {
            return false;
        }

        var (endpoint, model) = SplitGrant(grant);
        return Specs.SpecNames.IsDnsLabel(endpoint) && (model is null || IsModelName(model));
    }

    /// <summary>The endpoint a grant names, and its model (null for every model); a model may itself hold '/'.</summary>
    public static (string Endpoint, string? Model) SplitGrant(string grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var slash = grant.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (grant, null) : (grant[..slash], grant[(slash + 1)..]);
    }
}
