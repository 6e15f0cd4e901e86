using System.Net;
using System.Net.Http.Headers;
using Berth.Core.Llm;
using Berth.Core.Specs;
using Microsoft.AspNetCore.Http;

namespace Berth.Server.Llm;

/// <summary>
/// Sends a call to its endpoint with the provider key, and again (after <c>retry.initialDelay</c>, doubling) on a 429, a 5xx,
/// a timeout or a failed connection, then to each fallback of the same provider that lists the model, in order. Only the
/// answer's headers are awaited, so a stream reaches the caller as it is produced; nothing is sent again once it has.
/// </summary>
internal sealed class UpstreamSender(IHttpClientFactory clients, ProviderKeys keys, ModelEndpointCatalog catalog, TimeProvider time)
{
    public const string HttpClientName = "berth-llm";

    /// <summary>The Anthropic API version sent when the caller names none.</summary>
    public const string DefaultAnthropicVersion = "2023-06-01";

    // What a caller's SDK says about the request that the provider needs; everything else (its Authorization above all) stays here.
    private static readonly string[] ForwardedHeaders = ["Accept", "User-Agent", "anthropic-version", "anthropic-beta", "OpenAI-Beta"];

    /// <summary>Sends <paramref name="body"/> as <paramref name="operation"/> to <paramref name="endpoint"/> (entry <paramref name="model"/>) and its fallbacks.</summary>
    public async Task<UpstreamAnswer> SendAsync(
        ModelEndpointSpec endpoint, ModelEntry model, LlmOperation operation, LlmRequestBody body, HttpRequest incoming, CancellationToken cancellationToken)
    {
        var failovers = new List<string>();
        var attempts = 0;
        HttpResponseMessage? last = null;
        (ModelEndpointSpec Endpoint, ModelEntry Model)? lastTarget = null;
        try
        {
            await foreach (var (target, entry) in RouteAsync(endpoint, model, body.Model, cancellationToken))
            {
                string? key;
                try
                {
                    key = await keys.ReadAsync(target, cancellationToken);
                }
                catch (ProviderKeyException exception)
                {
                    failovers.Add($"{target.Name}: {exception.Message}");
                    continue;
                }

                var content = body.For(target.Provider, entry);
                string reason = "no attempt";
                for (var attempt = 1; attempt <= target.Retry.MaxAttempts; attempt++)
                {
                    if (attempt > 1 && target.Retry.InitialDelay > TimeSpan.Zero)
                    {
                        await Task.Delay(target.Retry.InitialDelay * Math.Pow(2, attempt - 2), time, cancellationToken);
                    }

                    attempts++;
                    last?.Dispose();
                    last = null;
                    using var timeout = new CancellationTokenSource(target.Timeout, time);
                    using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
                    try
                    {
                        using var request = Build(target, operation, content, key, incoming);
                        var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
                        if (!ShouldMoveOn(response.StatusCode))
                        {
                            return new UpstreamAnswer { Response = response, ServedBy = target, Model = entry, Attempts = attempts, Failovers = failovers };
                        }

                        last = response;
                        lastTarget = (target, entry);
                        reason = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        reason = $"no answer within {Duration.Format(target.Timeout)}";
                    }
                    catch (HttpRequestException exception)
                    {
                        reason = $"unreachable ({exception.HttpRequestError})";
                    }
                }

                failovers.Add($"{target.Name}: {reason}");
            }
        }
        catch
        {
            last?.Dispose();
            throw;
        }

        return new UpstreamAnswer
        {
            Response = last, ServedBy = lastTarget?.Endpoint, Model = lastTarget?.Model, Attempts = attempts, Failovers = failovers,
        };
    }

    /// <summary>A 429 (or Anthropic's 529) or a 5xx: the provider may do better later, or another may do better now.</summary>
    public static bool ShouldMoveOn(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    // The endpoint, then each fallback that exists, speaks the same API and lists the model the caller asked for.
    private async IAsyncEnumerable<(ModelEndpointSpec Endpoint, ModelEntry Model)> RouteAsync(
        ModelEndpointSpec endpoint, ModelEntry model, string asked, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return (endpoint, model);
        foreach (var name in endpoint.Fallbacks)
        {
            if (await catalog.FindAsync(name, cancellationToken) is { } fallback && fallback.Provider == endpoint.Provider &&
                (fallback.FindModel(asked) ?? fallback.FindModel(model.Name)) is { } entry)
            {
                yield return (fallback, entry);
            }
        }
    }

    private static HttpRequestMessage Build(ModelEndpointSpec endpoint, LlmOperation operation, byte[] content, string? key, HttpRequest incoming)
    {
        var baseUrl = ModelEndpointSpecValidator.ParseBaseUrl(endpoint.BaseUrl)
            ?? throw new InvalidOperationException($"model endpoint '{endpoint.Name}' has an invalid baseUrl; it was validated when applied");
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"{baseUrl.AbsoluteUri.TrimEnd('/')}/{operation.RelativePath}{incoming.QueryString}"))
        {
            Content = new ByteArrayContent(content),
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrHigher,
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        foreach (var name in ForwardedHeaders)
        {
            if (incoming.Headers.TryGetValue(name, out var values))
            {
                request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        if (endpoint.Provider == ModelProvider.Anthropic)
        {
            if (!request.Headers.Contains("anthropic-version"))
            {
                request.Headers.TryAddWithoutValidation("anthropic-version", DefaultAnthropicVersion);
            }

            if (key is not null)
            {
                request.Headers.TryAddWithoutValidation("x-api-key", key);
            }
        }
        else if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return request;
    }
}
