using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Core.Specs;
using Berth.Server.Proxy;
using Microsoft.Extensions.Options;

namespace Berth.Server.Plugins.Contract;

/// <summary>
/// The plugin contract over HTTP, on the proxy's connection pool: <c>POST /execute</c> (or the manifest's endpoint),
/// <c>GET /health</c> and <c>GET /metrics</c>, with answers bounded in size. It reports what the plugin said; deciding
/// what that means (retry, error class, schema) is the caller's.
/// </summary>
internal sealed class PluginEndpointClient(AgentConnections connections, IOptions<PluginOptions> options)
{
    /// <summary>Largest <c>/health</c> or <c>/metrics</c> answer read: 1 MiB.</summary>
    private const int MaxSmallAnswerBytes = 1 << 20;

    /// <summary>Sends one call. Throws <see cref="HttpRequestException"/> when the instance cannot be reached, <see cref="OperationCanceledException"/> when cancelled.</summary>
    public async Task<ExecuteAnswer> ExecuteAsync(Uri instance, PluginApiSpec api, JsonObject inputs, ExecuteContext context, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["inputs"] = inputs.DeepClone(),
            ["context"] = new JsonObject
            {
                ["invocationId"] = context.InvocationId,
                ["runId"] = context.RunId,
                ["stepId"] = context.StepId,
                ["deadline"] = context.Deadline.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            },
        };
        using var request = AgentConnections.CreateRequest(api.Method, instance, api.Endpoint, AgentProtocol.Http);
        request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        request.Headers.TryAddWithoutValidation("Berth-Invocation-Id", context.InvocationId);
        using var response = await connections.SendAsync(request, cancellationToken);
        var status = (int)response.StatusCode;
        var text = await ReadAsync(response.Content, options.Value.MaxPayloadBytes, cancellationToken);
        if (text is null)
        {
            return new ExecuteAnswer { Status = status, Problem = $"the answer is larger than {options.Value.MaxPayloadBytes} bytes (Berth:Plugins:MaxPayloadBytes)" };
        }

        return Parse(status, text);
    }

    /// <summary><c>GET</c> of a small answer (<c>/health</c>, <c>/metrics</c>): its status, content type and text, or null text when it was larger than 1 MiB.</summary>
    public async Task<(int Status, MediaTypeHeaderValue? ContentType, string? Text)> GetAsync(Uri instance, string path, CancellationToken cancellationToken)
    {
        using var request = AgentConnections.CreateRequest("GET", instance, path, AgentProtocol.Http);
        using var response = await connections.SendAsync(request, cancellationToken);
        return ((int)response.StatusCode, response.Content.Headers.ContentType, await ReadAsync(response.Content, MaxSmallAnswerBytes, cancellationToken));
    }

    private static ExecuteAnswer Parse(int status, string text)
    {
        JsonNode? answer;
        try
        {
            answer = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            return new ExecuteAnswer { Status = status, Problem = $"the answer is not JSON ({ex.Message}); expected {{\"success\": true, \"outputs\": {{…}}}}" };
        }

        if (answer is not JsonObject root || root["success"]?.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            return new ExecuteAnswer { Status = status, Problem = "the answer has no boolean 'success'; expected {\"success\": true, \"outputs\": {…}} or {\"success\": false, \"error\": {\"class\", \"message\"}}" };
        }

        if (root["success"]!.GetValue<bool>())
        {
            return root["outputs"] is JsonObject outputs
                ? new ExecuteAnswer { Status = status, Success = true, Outputs = (JsonObject)outputs.DeepClone() }
                : new ExecuteAnswer { Status = status, Problem = "the answer says success but 'outputs' is not a JSON object" };
        }

        var error = root["error"] as JsonObject;
        return new ExecuteAnswer
        {
            Status = status,
            ErrorClass = Text(error?["class"]) ?? "user",
            ErrorMessage = Text(error?["message"]) ?? "the plugin reported a failure without a message",
        };
    }

    private static string? Text(JsonNode? node)
    {
        if (node?.GetValueKind() != JsonValueKind.String)
        {
            return null;
        }

        var text = node.GetValue<string>();
        var printable = new string([.. text.Take(2_000).Select(c => char.IsControl(c) && c is not ('\n' or '\t') ? '?' : c)]);
        return printable.Length == 0 ? null : printable;
    }

    /// <summary>The body as text, or null when it is longer than <paramref name="limit"/> bytes.</summary>
    private static async Task<string?> ReadAsync(HttpContent content, int limit, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
