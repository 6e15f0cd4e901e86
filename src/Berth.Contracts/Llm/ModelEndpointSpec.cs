namespace Berth.Core.Llm;

/// <summary>
/// A model provider agents and users call through Berth's LLM gateway (<c>/llm/{name}/…</c>), which holds its key, counts the
/// tokens of every call and prices them (<c>kind: ModelEndpoint</c>).
/// </summary>
public sealed record ModelEndpointSpec
{
    /// <summary>The endpoint's name (<c>metadata.name</c>), a DNS label; the gateway serves it at <c>/llm/{name}/</c>.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The API the provider speaks. Default <c>openai</c>.</summary>
    public ModelProvider Provider { get; set; } = ModelProvider.OpenAI;

    /// <summary>
    /// The provider's API base as its own SDK takes it: <c>https://api.openai.com/v1</c>, <c>https://api.anthropic.com</c>,
    /// <c>http://127.0.0.1:11434/v1</c>. An absolute http or https URL without credentials, query or fragment. Required.
    /// </summary>
    public string BaseUrl { get; set; } = string.Empty;

    /// <summary>The provider key as a secret reference, <c>${secret:NAME}</c>, read only when a call goes out. Null: no key is sent (a local server).</summary>
    public string? ApiKey { get; set; }

    /// <summary>The models callers may use, by name or with an alias; a call naming another model is refused. At least one.</summary>
    public IReadOnlyList<ModelEntry> Models { get; set; } = [];

    /// <summary>Prices per model (keyed by a listed model's name or alias); a model without one is recorded at no cost. Empty by default.</summary>
    public IReadOnlyDictionary<string, ModelPrice> Prices { get; set; } = new Dictionary<string, ModelPrice>();

    /// <summary>Calls and tokens per minute. Null: unlimited.</summary>
    public ModelLimits? Limits { get; set; }

    /// <summary>How long the provider may take to start answering (the response headers; a stream then runs as long as it runs). Default 2m.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Attempts on this endpoint before the call moves to the next fallback. Default 2 attempts, 500ms apart.</summary>
    public ModelRetry Retry { get; set; } = new();

    /// <summary>Berth's response cache for this endpoint. Default off.</summary>
    public ModelCache Cache { get; set; } = new();

    /// <summary>
    /// Endpoints of the same provider a call moves to, in order, when this one answers 429 or 5xx, times out or cannot be
    /// reached after its retries; each must list the model the caller asked for. Empty by default.
    /// </summary>
    public IReadOnlyList<string> Fallbacks { get; set; } = [];

    /// <summary>The entry a caller's <paramref name="model"/> names (by name or alias), or null when the endpoint does not allow it.</summary>
    public ModelEntry? FindModel(string model) => Models.FirstOrDefault(m => m.Matches(model));

    /// <summary>The price of <paramref name="entry"/>, under its name or its alias; null when none is set.</summary>
    public ModelPrice? PriceOf(ModelEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Prices.GetValueOrDefault(entry.Name) ?? (entry.Alias is { } alias ? Prices.GetValueOrDefault(alias) : null);
    }
}
