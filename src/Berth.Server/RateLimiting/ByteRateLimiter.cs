using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Berth.Server.RateLimiting;

/// <summary>
/// The byte budget: a token bucket of request-body bytes per token (or per address), beside the request budget, so a few
/// large requests cost as much as many small ones. A body with a Content-Length pays for it before the endpoint runs; a
/// chunked body pays as it is read (<see cref="MeteredBody"/>). A body larger than the bucket costs a full bucket.
/// </summary>
internal sealed class ByteRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<RateLimitKey>? _limiter;

    public ByteRateLimiter(IOptions<RateLimitSettings> options)
    {
        Settings = options.Value;
        if (Settings.Enabled)
        {
            var bucket = RateLimits.Bucket(Settings.BytesPerSecond, Settings.BytesBurst);
            _limiter = PartitionedRateLimiter.Create<RateLimitKey, RateLimitKey>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => bucket));
        }
    }

    public RateLimitSettings Settings { get; }

    /// <summary>Takes <paramref name="bytes"/> from the key's budget; the wait before they would be there when they are not.</summary>
    public TimeSpan? TryTake(RateLimitKey key, long bytes)
    {
        if (_limiter is null || bytes <= 0)
        {
            return null;
        }

        using var lease = _limiter.AttemptAcquire(key, (int)Math.Min(bytes, Settings.BytesBurst));
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
    }

    /// <summary>Charges the request's body to its caller's byte budget; answers 429 itself when the budget is spent.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (_limiter is null || context.Request.Path.Equals(RateLimits.Healthz, StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        var key = RateLimits.KeyOf(context);
        if (context.Request.ContentLength is { } length)
        {
            if (TryTake(key, length) is { } wait)
            {
                await RateLimitRejection.WriteBytesAsync(context, Settings, wait);
                return;
            }
        }
        else
        {
            context.Request.Body = new MeteredBody(context.Request.Body, this, key);
        }

        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (ex is ByteBudgetSpentException spent && !context.Response.HasStarted)
        {
            await RateLimitRejection.WriteBytesAsync(context, Settings, spent.RetryAfter);
        }
    }

    public void Dispose() => _limiter?.Dispose();
}
