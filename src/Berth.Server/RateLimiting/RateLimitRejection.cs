using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;

namespace Berth.Server.RateLimiting;

/// <summary>The 429 answer: a <c>Retry-After</c> header in whole seconds and a problem that names the limit and the settings behind it.</summary>
internal static class RateLimitRejection
{
    public const string ProblemType = "urn:berth:problem:rate-limited";

    public static ValueTask WriteAsync(OnRejectedContext rejected, RateLimitSettings settings)
    {
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        return WriteAsync(rejected.HttpContext, settings, wait);
    }

    /// <summary>The 429 for a spent byte budget: it names the byte settings.</summary>
    public static async Task WriteBytesAsync(HttpContext context, RateLimitSettings settings, TimeSpan wait)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        var detail =
            $"{Who(context)} sent more than {settings.BytesPerSecond} bytes of request bodies per second (bursts up to {settings.BytesBurst}); retry after {seconds} s. " +
            $"The budget is per token; the server's operator sets it with {RateLimitSettings.Section}:BytesPerSecond and {RateLimitSettings.Section}:BytesBurst.";
        context.Response.Headers.Connection = "close";
        Security.AccessMetrics.RecordRateLimited("bytes");
        await WriteProblemAsync(context, seconds, detail, new Dictionary<string, object?>
        {
            ["bytesPerSecond"] = settings.BytesPerSecond,
            ["bytesBurst"] = settings.BytesBurst,
            ["retryAfterSeconds"] = seconds,
        });
    }

    private static string Who(HttpContext context) => context.User.Identity?.IsAuthenticated == true
        ? context.User.Identity.Name ?? "this token"
        : $"address {context.Connection.RemoteIpAddress}";

    private static async Task WriteProblemAsync(HttpContext context, int seconds, string detail, Dictionary<string, object?> extensions)
    {
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.CacheControl = "no-store";
        await TypedResults.Problem(
            detail: detail, statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests", type: ProblemType, extensions: extensions)
            .ExecuteAsync(context);
    }

    private static async ValueTask WriteAsync(HttpContext context, RateLimitSettings settings, TimeSpan wait)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        var detail =
            $"{Who(context)} sent more than {settings.RequestsPerSecond} requests per second (bursts up to {settings.Burst}); retry after {seconds} s. " +
            $"The budget is per token; the server's operator sets it with {RateLimitSettings.Section}:RequestsPerSecond and {RateLimitSettings.Section}:Burst.";
        Security.AccessMetrics.RecordRateLimited("requests");
        await WriteProblemAsync(context, seconds, detail, new Dictionary<string, object?>
        {
            ["requestsPerSecond"] = settings.RequestsPerSecond,
            ["burst"] = settings.Burst,
            ["retryAfterSeconds"] = seconds,
        });
    }
}
