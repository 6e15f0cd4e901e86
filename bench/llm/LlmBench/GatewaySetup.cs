using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Berth.Bench.Llm;

/// <summary>
/// Makes the server's gateway call the fake provider: a secret holding a made-up provider key, and a <c>kind: ModelEndpoint</c>
/// named <see cref="EndpointName"/> whose <c>apiKey</c> refers to it (so every call goes through the key lookup, as a real
/// one does), applied through the HTTP API as <c>berth apply -f</c> would.
/// </summary>
internal sealed class GatewaySetup(HttpClient http, Uri server, string token)
{
    public const string EndpointName = "bench";

    public const string SecretName = "llm-bench-key";

    /// <summary>The key sent to the provider: by the gateway (from the secret) and by the direct calls (the fake reads none).</summary>
    public const string ProviderKey = "sk-bench-not-a-real-key";

    /// <summary>The OpenAI base URL callers use for the endpoint: <c>{server}/llm/bench/v1</c>.</summary>
    public Uri GatewayBaseUrl => new(server, $"/llm/{EndpointName}/v1");

    public async Task ApplyAsync(Uri providerBaseUrl, CancellationToken cancellationToken)
    {
        var key = new ByteArrayContent(Encoding.UTF8.GetBytes(ProviderKey));
        key.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        await PutAsync($"/api/v1/secrets/{SecretName}", key, cancellationToken);

        var document = new JsonObject
        {
            ["apiVersion"] = "berth/v1",
            ["kind"] = "ModelEndpoint",
            ["metadata"] = new JsonObject { ["name"] = EndpointName },
            ["spec"] = new JsonObject
            {
                ["provider"] = "openai",
                ["baseUrl"] = providerBaseUrl.ToString().TrimEnd('/'),
                ["apiKey"] = $"${{secret:{SecretName}}}",
                ["models"] = new JsonArray(ChatRequests.Model),
            },
        };
        var spec = new StringContent(document.ToJsonString(), Encoding.UTF8);
        spec.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        await PutAsync($"/api/v1/model-endpoints/{EndpointName}", spec, cancellationToken);
    }

    private async Task PutAsync(string path, HttpContent content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(server, path)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchException($"PUT {path} was answered HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }
}
