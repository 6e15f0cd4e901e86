using System.Security.Cryptography;
using System.Text;
using Berth.Core.Llm;
using Berth.Core.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Llm;

/// <summary>
/// The gateway's side of the response cache: the key of a call (a SHA-256 of the endpoint, the path and the exact body sent),
/// answering a call from a cached answer, and keeping a new one. The cache only ever saves calls: a cache that cannot be read
/// or written is logged and the call goes to the provider as if the cache were off.
/// </summary>
internal sealed partial class LlmResponses(ILlmResponseCache cache, TimeProvider time, ILogger<LlmResponses> logger)
{
    /// <summary>The response header that says whether the answer came from the cache: <c>hit</c> or <c>miss</c>.</summary>
    public const string CacheHeader = "Berth-Llm-Cache";

    /// <summary>The largest answer kept: 1 MiB.</summary>
    public const int MaxCachedBytes = 1024 * 1024;

    public static string KeyOf(ModelEndpointSpec endpoint, LlmOperation operation, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(operation);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{endpoint.Name}\n{operation.RelativePath}\n"));
        hash.AppendData(body);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The cached answer still served for <paramref name="key"/>, or null (also when the cache cannot be read).</summary>
    public async Task<CachedAnswer?> FindAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await cache.FindAsync(key, time.GetUtcNow(), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogUnreadable(exception);
            return null;
        }
    }

    /// <summary>Answers <paramref name="call"/> with <paramref name="cached"/>; the call used no tokens.</summary>
    public async Task<LlmCallEnd> AnswerAsync(HttpContext context, LlmCallStart call, CachedAnswer cached, long started)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(cached);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = cached.ContentType ?? "application/json";
        context.Response.ContentLength = cached.Body.Length;
        context.Response.Headers[CacheHeader] = "hit";
        context.Response.Headers[LlmGateway.ServedByHeader] = cached.Endpoint;
        await context.Response.Body.WriteAsync(cached.Body, context.RequestAborted);
        return new LlmCallEnd
        {
            Id = call.Id, FinishedAt = time.GetUtcNow(), Succeeded = true, ServedBy = cached.Endpoint, Status = StatusCodes.Status200OK,
            CacheHit = true, Latency = time.GetElapsedTime(started),
        };
    }

    /// <summary>Keeps a provider's answer (at most <see cref="MaxCachedBytes"/>) for the endpoint's TTL.</summary>
    public async Task KeepAsync(string key, ModelEndpointSpec endpoint, string? contentType, ReadOnlyMemory<byte> body)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (body.Length > MaxCachedBytes)
        {
            return;
        }

        var now = time.GetUtcNow();
        try
        {
            await cache.PutAsync(new CachedAnswer(key, endpoint.Name, contentType, body.ToArray(), now + endpoint.Cache.Ttl), now, CancellationToken.None);
        }
        catch (Exception exception)
        {
            LogUnwritable(exception, endpoint.Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The LLM response cache cannot be read; the call goes to the provider")]
    private partial void LogUnreadable(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An answer of {Endpoint} could not be kept in the LLM response cache")]
    private partial void LogUnwritable(Exception exception, string endpoint);
}
