using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;

namespace Berth.Server.RateLimiting;

/// <summary>The 429 answer: a <c>Retry-After</c> header in whole seconds and a problem that names the limit and the settings behind it.</summary>
internal static class RateLimitRejection
{
    public const string ProblemType = "urn:berth:problem:rate-limited";

    public static async ValueTask WriteAsync(OnRejectedContext rejected, RateLimitSettings settings)
    {
        var context = rejected.HttpContext;
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        var who = context.User.Identity?.IsAuthenticated == true
            ? context.User.Identity.Name ?? "this token"
            : $"address {context.Connection.RemoteIpAddress}";
        var detail =
            $"{who} sent more than {settings.RequestsPerSecond} requests per second (bursts up to {settings.Burst}); retry after {seconds} s. " +
            $"The budget is per token; the server's operator sets it with {RateLimitSettings.Section}:RequestsPerSecond and {RateLimitSettings.Section}:Burst (0 turns it off).";
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.CacheControl = "no-store";
        var extensions = new Dictionary<string, object?>
        {
            ["requestsPerSecond"] = settings.RequestsPerSecond,
            ["burst"] = settings.Burst,
            ["retryAfterSeconds"] = seconds,
        };
        await TypedResults.Problem(
            detail: detail, statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests", type: ProblemType, extensions: extensions)
            .ExecuteAsync(context);
    }
}
