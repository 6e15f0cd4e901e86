using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Server.RateLimiting;

/// <summary>Adds the request and byte budgets to the pipeline (after authentication, so the token is known).</summary>
internal static partial class RateLimitingPipeline
{
    public static WebApplication UseBerthRateLimits(this WebApplication app)
    {
        // Resolved once the app starts, not here: the settings are validated at start, where a bad one is reported as such.
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            if (!app.Services.GetRequiredService<ByteRateLimiter>().Settings.Enabled)
            {
                LogDisabled(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimitingPipeline)), RateLimitSettings.Section);
            }
        });
        app.UseRateLimiter();
        return app;
    }

    /// <summary>
    /// Adds the byte budget. Placed after the body-size limit, so a body refused as too large (never read) costs nothing.
    /// </summary>
    public static WebApplication UseBerthByteRateLimit(this WebApplication app)
    {
        app.Use((context, next) => context.RequestServices.GetRequiredService<ByteRateLimiter>().InvokeAsync(context, next));
        return app;
    }

    [LoggerMessage(EventId = 3301, Level = LogLevel.Warning,
        Message = "Rate limiting is off ({Section}:Enabled=false): any caller, with a token or without, may send as many requests and bytes as the server takes")]
    private static partial void LogDisabled(ILogger logger, string section);
}
