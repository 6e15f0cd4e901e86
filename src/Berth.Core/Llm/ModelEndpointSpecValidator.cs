using Berth.Core.Specs;

namespace Berth.Core.Llm;

/// <summary>Semantic rules of a <see cref="ModelEndpointSpec"/>.</summary>
public static class ModelEndpointSpecValidator
{
    /// <summary>Most models one endpoint lists: 256.</summary>
    public const int MaxModels = 256;

    /// <summary>Most fallbacks one endpoint lists: 8.</summary>
    public const int MaxFallbacks = 8;

    /// <summary>Longest base URL: 2,048 characters.</summary>
    public const int MaxBaseUrlLength = 2048;

    /// <summary>Highest price per million tokens: 1,000,000.</summary>
    public const decimal MaxPrice = 1_000_000m;

    /// <summary>Checks every rule and returns every problem found (empty when the spec is valid).</summary>
    public static IReadOnlyList<SpecError> Validate(ModelEndpointSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = new List<SpecError>();
        if (!SpecNames.IsDnsLabel(spec.Name))
        {
            errors.Add(new SpecError("metadata.name", spec.Name.Length == 0 ? $"required; expected {SpecNames.DnsLabelHint}" : $"'{spec.Name}' is not valid; expected {SpecNames.DnsLabelHint}"));
        }

        ValidateBaseUrl(spec.BaseUrl, errors);
        ValidateApiKey(spec.ApiKey, errors);
        var names = ValidateModels(spec.Models, errors);
        ValidatePrices(spec.Prices, names, errors);
        ValidateLimits(spec.Limits, errors);
        Messaging.TopicSpecValidator.Between(spec.Timeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(30), "spec.timeout", errors);
        if (spec.Retry.MaxAttempts is < 1 or > 10)
        {
            errors.Add(new SpecError("spec.retry.maxAttempts", $"{spec.Retry.MaxAttempts} is out of range; expected a number of attempts from 1 to 10"));
        }

        Messaging.TopicSpecValidator.Between(spec.Retry.InitialDelay, TimeSpan.Zero, TimeSpan.FromMinutes(1), "spec.retry.initialDelay", errors);
        Messaging.TopicSpecValidator.Between(spec.Cache.Ttl, TimeSpan.FromSeconds(1), TimeSpan.FromDays(30), "spec.cache.ttl", errors);
        ValidateFallbacks(spec, errors);
        return errors;
    }

    /// <summary>The provider's base URL as a <see cref="Uri"/> (a root keeps the '/' a <see cref="Uri"/> gives it), or null when it is not a valid one.</summary>
    public static Uri? ParseBaseUrl(string? text)
    {
        if (text is not { Length: > 0 and <= MaxBaseUrlLength } || text.Any(char.IsControl) ||
            !Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") ||
            uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0 || text.Contains('#', StringComparison.Ordinal))
        {
            return null;
        }

        return new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/'));
    }

    private static void ValidateBaseUrl(string baseUrl, List<SpecError> errors)
    {
        if (baseUrl.Length == 0)
        {
            errors.Add(new SpecError("spec.baseUrl", "required; expected the provider's API base as its SDK takes it, like https://api.openai.com/v1 or https://api.anthropic.com"));
        }
        else if (ParseBaseUrl(baseUrl) is null)
        {
            errors.Add(new SpecError("spec.baseUrl", $"'{Shown(baseUrl)}' is not valid; expected an absolute http or https URL of at most {MaxBaseUrlLength} characters, without user, password, query or fragment (the key goes in spec.apiKey)"));
        }
    }

    private static void ValidateApiKey(string? apiKey, List<SpecError> errors)
    {
        if (apiKey is null)
        {
            return;
        }

        var references = SecretReference.Scan(apiKey).ToList();
        if (references is not [{ Valid: true } reference] || apiKey != $"${{secret:{reference.Name}}}")
        {
            errors.Add(new SpecError("spec.apiKey", "expected exactly one secret reference, ${secret:NAME}: store the key with 'berth secrets set NAME' and name it here, so the key is never in a spec, an export or an agent"));
        }
    }

    private static HashSet<string> ValidateModels(IReadOnlyList<ModelEntry> models, List<SpecError> errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (models.Count == 0)
        {
            errors.Add(new SpecError("spec.models", "required; expected at least one model callers may use, like [gpt-4o-mini] or [{ name: gpt-4o-mini, alias: fast }]"));
        }
        else if (models.Count > MaxModels)
        {
            errors.Add(new SpecError("spec.models", $"{models.Count} models is too many; expected at most {MaxModels}"));
        }

        for (var i = 0; i < models.Count && i < MaxModels; i++)
        {
            foreach (var (name, field) in new[] { (models[i].Name, "name"), (models[i].Alias, "alias") })
            {
                if (name is null && field == "alias")
                {
                    continue;
                }

                var path = $"spec.models[{i}].{field}";
                if (!ModelRules.IsModelName(name))
                {
                    errors.Add(new SpecError(path, string.IsNullOrEmpty(name) ? $"required; expected {ModelRules.ModelNameHint}" : $"'{Shown(name)}' is not valid; expected {ModelRules.ModelNameHint}"));
                }
                else if (!names.Add(name))
                {
                    errors.Add(new SpecError(path, $"'{name}' names two models; expected each name and alias once"));
                }
            }
        }

        return names;
    }

    private static void ValidatePrices(IReadOnlyDictionary<string, ModelPrice> prices, HashSet<string> names, List<SpecError> errors)
    {
        foreach (var (model, price) in prices)
        {
            var path = $"spec.prices.{model}";
            if (!names.Contains(model))
            {
                errors.Add(new SpecError(path, $"'{Shown(model)}' is not a listed model; expected the name or alias of one in spec.models"));
                continue;
            }

            foreach (var (value, field) in new[] { (price.Input, "input"), (price.CachedInput ?? 0m, "cachedInput"), (price.Output, "output") })
            {
                if (value is < 0m or > MaxPrice)
                {
                    errors.Add(new SpecError($"{path}.{field}", $"{value} is out of range; expected a price per million tokens from 0 to {MaxPrice}"));
                }
            }
        }
    }

    private static void ValidateLimits(ModelLimits? limits, List<SpecError> errors)
    {
        if (limits?.RequestsPerMinute is < 1 or > 1_000_000)
        {
            errors.Add(new SpecError("spec.limits.requestsPerMinute", $"{limits.RequestsPerMinute} is out of range; expected calls per minute from 1 to 1000000, or none"));
        }

        if (limits?.TokensPerMinute is < 1 or > 1_000_000_000)
        {
            errors.Add(new SpecError("spec.limits.tokensPerMinute", $"{limits.TokensPerMinute} is out of range; expected tokens per minute from 1 to 1000000000, or none"));
        }
    }

    private static void ValidateFallbacks(ModelEndpointSpec spec, List<SpecError> errors)
    {
        if (spec.Fallbacks.Count > MaxFallbacks)
        {
            errors.Add(new SpecError("spec.fallbacks", $"{spec.Fallbacks.Count} fallbacks is too many; expected at most {MaxFallbacks}"));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < spec.Fallbacks.Count; i++)
        {
            var fallback = spec.Fallbacks[i];
            var path = $"spec.fallbacks[{i}]";
            if (!SpecNames.IsDnsLabel(fallback))
            {
                errors.Add(new SpecError(path, $"'{Shown(fallback)}' is not an endpoint name; expected {SpecNames.DnsLabelHint}"));
            }
            else if (fallback == spec.Name)
            {
                errors.Add(new SpecError(path, "names the endpoint itself; expected another endpoint of the same provider"));
            }
            else if (!seen.Add(fallback))
            {
                errors.Add(new SpecError(path, $"'{fallback}' is listed twice; expected each endpoint once"));
            }
        }
    }

    // A hostile value is shown cut short and without control characters, so an error cannot forge lines of output.
    private static string Shown(string text)
    {
        var clean = new string([.. text.Take(80).Select(c => char.IsControl(c) ? '?' : c)]);
        return text.Length > 80 ? clean + "…" : clean;
    }
}
