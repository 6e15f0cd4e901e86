using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;

namespace Berth.Server.Limits;

/// <summary>
/// Caps every request body (API and proxy) at <c>Berth:Limits:MaxRequestBodyBytes</c> and answers <c>413</c> with a
/// problem naming the limit: at once when the Content-Length says so, or when a chunked body grows past it.
/// </summary>
internal static class RequestBodyLimit
{
    public const string TooLargeType = "urn:berth:problem:payload-too-large";

    /// <summary>Adds the limit; runs after authorization, so a caller without a token learns nothing about limits.</summary>
    public static WebApplication UseRequestBodyLimit(this WebApplication app)
    {
        var limits = app.Configuration.GetSection(RequestLimits.Section).Get<RequestLimits>() ?? new RequestLimits();
        if (limits.MaxRequestBodyBytes <= 0)
        {
            throw new InvalidOperationException($"{RequestLimits.Section}:MaxRequestBodyBytes must be a positive number of bytes; got {limits.MaxRequestBodyBytes}.");
        }

        var max = limits.MaxRequestBodyBytes;
        app.Use(async (context, next) =>
        {
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = max;
            }

            if (context.Request.ContentLength > max)
            {
                await TooLarge(context, max);
                return;
            }

            try
            {
                await next(context);
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
            {
                await TooLarge(context, max);
            }
        });
        return app;
    }

    private static Task TooLarge(HttpContext context, long max) =>
        TooLargeResult(context, max, $"{RequestLimits.Section}:MaxRequestBodyBytes", "this server accepts").ExecuteAsync(context);

    /// <summary>
    /// The 413 answer for a body over <paramref name="max"/> bytes, naming the limit and the <paramref name="setting"/> that
    /// sets it. The rest of the body is not read, so the connection is closed after the answer.
    /// </summary>
    public static IResult TooLargeResult(HttpContext context, long max, string setting, string what)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.Connection = "close";
        var detail = string.Create(
            CultureInfo.InvariantCulture,
            $"The request body is larger than {what}: at most {Describe(max)} ({max} bytes). An operator can change the limit with the setting {setting}.");
        return Problems.Problems.Problem(StatusCodes.Status413PayloadTooLarge, "Request body too large", TooLargeType, detail);
    }

    private static string Describe(long bytes) => bytes % (1024 * 1024) == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024)} MiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB");
}
