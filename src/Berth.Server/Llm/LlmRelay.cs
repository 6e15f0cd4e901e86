using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Berth.Server.Llm;

/// <summary>
/// Passes a provider's answer to the caller as it arrives, each read flushed at once for a stream, while a
/// <see cref="UsageReader"/> reads the usage out of the same bytes.
/// </summary>
internal static class LlmRelay
{
    // Hop-by-hop headers describe the provider's connection; the others name the provider account behind the key.
    private static readonly HashSet<string> Withheld = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Trailer", "TE", "Proxy-Connection", "Proxy-Authenticate",
        "Set-Cookie", "openai-organization", "openai-project", "anthropic-organization-id",
    };

    /// <summary>True when the answer is an event stream (a streamed completion).</summary>
    public static bool IsEventStream(HttpResponseMessage response) =>
        string.Equals(response?.Content.Headers.ContentType?.MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);

    /// <summary>Copies the answer's status, headers and body to <paramref name="context"/>; false when it ended early (either side went away).</summary>
    public static async Task<bool> CopyAsync(HttpContext context, HttpResponseMessage response, UsageReader usage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(usage);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!Withheld.Contains(name))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        var stream = IsEventStream(response);
        if (stream)
        {
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        }

        var buffer = new byte[16 * 1024];
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                if (stream)
                {
                    await context.Response.Body.FlushAsync(cancellationToken);
                }

                usage.Read(buffer.AsSpan(0, read));
            }

            usage.Complete();
            return true;
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException or OperationCanceledException)
        {
            return false;
        }
    }
}
