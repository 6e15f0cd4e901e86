using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Core.Specs;
using Berth.Server.Proxy;

namespace Berth.Server.A2a;

/// <summary>
/// Reads an agent card from one instance over the proxy's own connection pool: a GET of the declared path, at most
/// <see cref="MaximumCardBytes"/> and <see cref="Timeout"/>, and it must be a JSON object. Everything else is an error that
/// says what the agent answered, so an operator can fix the agent rather than guess.
/// </summary>
internal sealed class AgentCardFetcher(AgentConnections connections, TimeProvider time)
{
    /// <summary>Largest card accepted: 256 KiB (real cards are a few KiB; the bound keeps a broken agent from filling memory).</summary>
    public const int MaximumCardBytes = 256 * 1024;

    /// <summary>How long an instance has to answer: 5 seconds.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>The card at <paramref name="cardPath"/> on <paramref name="endpoint"/>; <paramref name="a2aVersion"/> is passed on when the client named one.</summary>
    public async Task<AgentCardFetch> FetchAsync(Uri endpoint, string cardPath, AgentProtocol protocol, string? a2aVersion, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        using var request = AgentConnections.CreateRequest("GET", endpoint, cardPath, protocol);
        request.Headers.Accept.ParseAdd("application/json");
        if (a2aVersion is not null)
        {
            request.Headers.TryAddWithoutValidation(A2aHeaders.Version, a2aVersion);
        }

        try
        {
            using var response = await connections.SendAsync(request, linked.Token);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return AgentCardFetch.Failed($"the agent answered {(int)response.StatusCode} to GET {cardPath}; expected 200 with its A2A agent card");
            }

            if (response.Content.Headers.ContentLength > MaximumCardBytes)
            {
                return AgentCardFetch.Failed($"the card at {cardPath} is {response.Content.Headers.ContentLength} bytes; at most {MaximumCardBytes} are read");
            }

            var body = await ReadBoundedAsync(response.Content, linked.Token);
            if (body is null)
            {
                return AgentCardFetch.Failed($"the card at {cardPath} is larger than {MaximumCardBytes} bytes, the most that is read");
            }

            return JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }) is JsonObject card
                ? new AgentCardFetch(card, null, 200)
                : AgentCardFetch.Failed($"the answer to GET {cardPath} is JSON but not an object; expected an A2A agent card");
        }
        catch (JsonException ex)
        {
            return AgentCardFetch.Failed($"the answer to GET {cardPath} is not JSON ({ex.Message}); expected an A2A agent card");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return AgentCardFetch.Failed($"the agent did not answer GET {cardPath} within {Timeout.TotalSeconds:0}s", 504);
        }
        catch (HttpRequestException ex)
        {
            return AgentCardFetch.Failed($"the agent could not be reached for GET {cardPath}: {ex.Message}");
        }
    }

    private static async Task<byte[]?> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaximumCardBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
