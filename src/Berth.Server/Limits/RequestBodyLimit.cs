using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Berth.Server.Limits;

/// <summary>
/// Caps every request body (API and proxy) at <c>Berth:Limits:MaxRequestBodyBytes</c> and answers <c>413</c> with a
/// problem naming the limit: at once when the Content-Length says so, or when a chunked body grows past it.
/// </summary>
internal static class RequestBodyLimit
{
    private const string Setting = RequestLimits.Section + ":MaxRequestBodyBytes";

    /// <summary>Adds the limit; runs after authorization, so a caller without a token learns nothing about limits.</summary>
    public static WebApplication UseRequestBodyLimit(this WebApplication app)
    {
        // Read per request from options validated at start, so a bad value is reported with the other settings.
        var limits = app.Services.GetRequiredService<IOptions<RequestLimits>>();
        app.Use(async (context, next) =>
        {
            var max = limits.Value.MaxRequestBodyBytes;
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
        Problems.Problems.PayloadTooLarge(context, max, "this server accepts", Problems.Problems.ChangeTheSetting(Setting)).ExecuteAsync(context);
}
