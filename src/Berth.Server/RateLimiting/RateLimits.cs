using System.Threading.RateLimiting;
using Berth.Server.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;

namespace Berth.Server.RateLimiting;

/// <summary>
/// The global limiter: one token bucket per token (the <c>berth:token</c> claim), or per source address when no token
/// was accepted, so one noisy client cannot starve the others. <c>/healthz</c> is never limited. Must run after
/// authentication so the token is known.
/// </summary>
internal static class RateLimits
{
    /// <summary>The one path never limited.</summary>
    public static readonly PathString Healthz = new("/healthz");

    public static void Configure(RateLimiterOptions options, RateLimitSettings settings)
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        if (!settings.Enabled)
        {
            options.GlobalLimiter = null;
            return;
        }

        var bucket = Bucket(settings.RequestsPerSecond, settings.Burst);
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, RateLimitKey>(context =>
            context.Request.Path.Equals(Healthz, StringComparison.Ordinal)
                ? RateLimitPartition.GetNoLimiter(RateLimitKey.Unlimited)
                : RateLimitPartition.GetTokenBucketLimiter(KeyOf(context), _ => bucket));
        options.OnRejected = (rejected, _) => RateLimitRejection.WriteAsync(rejected, settings);
    }

    /// <summary>Whose budget <paramref name="context"/> spends: its token's, or its source address's.</summary>
    public static RateLimitKey KeyOf(HttpContext context) =>
        context.User.FindFirst(BerthClaims.TokenId)?.Value is { } tokenId
            ? new RateLimitKey(tokenId, null)
            : new RateLimitKey(null, context.Connection.RemoteIpAddress);

    // Refilled in steps no larger than the bucket, at exactly RequestsPerSecond on average: 100/s with a burst of 10
    // adds 10 every 100 ms.
    public static TokenBucketRateLimiterOptions Bucket(int perSecond, int burst)
    {
        var step = Math.Min(perSecond, burst);
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = step,
            ReplenishmentPeriod = TimeSpan.FromSeconds((double)step / perSecond),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }
}
