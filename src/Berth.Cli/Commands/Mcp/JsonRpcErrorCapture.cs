using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Berth.Cli.Commands.Mcp;

/// <summary>
/// Keeps the JSON-RPC error the server put in a non-2xx answer to a request (an unsupported protocol version with the
/// versions it supports, a missing session), keyed by the request's id. The SDK's client transport turns such an answer
/// into an exception that keeps only the code and message; the relay hands the client the server's error object itself.
/// </summary>
internal sealed class JsonRpcErrorCapture(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    // A JSON-RPC error is a few hundred bytes; anything bigger is not one worth relaying.
    private const int MaxErrorBytes = 64 * 1024;

    private readonly ConcurrentDictionary<string, JsonObject> _errors = new(StringComparer.Ordinal);

    /// <summary>Takes the error the server answered <paramref name="id"/> with; false when it sent none.</summary>
    public bool TryTake(RequestId id, out JsonObject error) => _errors.TryRemove(Key(id), out error!);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode &&
            request.Content is JsonContent { Value: JsonRpcRequest sent } &&
            response.Content.Headers.ContentType?.MediaType == "application/json" &&
            response.Content.Headers.ContentLength is null or <= MaxErrorBytes)
        {
            // Buffered, so the SDK can still read the body after this.
            await response.Content.LoadIntoBufferAsync(MaxErrorBytes, cancellationToken);
            if (ErrorOf(await response.Content.ReadAsStringAsync(cancellationToken)) is { } error)
            {
                _errors[Key(sent.Id)] = error;
            }
        }

        return response;
    }

    private static JsonObject? ErrorOf(string body)
    {
        try
        {
            return JsonNode.Parse(body) is JsonObject { } message && message["error"] is JsonObject error && error["code"] is JsonValue
                ? (JsonObject)error.DeepClone()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Key(RequestId id) => JsonSerializer.Serialize(id, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(RequestId)));
}
