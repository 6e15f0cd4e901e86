using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Berth.Server.RateLimiting;

/// <summary>Registers per-token rate limits from <c>Berth:RateLimit</c>; the pipeline adds them with <c>app.UseRateLimiter()</c> after authentication.</summary>
internal static class RateLimitingServiceCollectionExtensions
{
    public static IServiceCollection AddBerthRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RateLimitSettings>().Bind(configuration.GetSection(RateLimitSettings.Section))
            .Validate(s => s.RequestsPerSecond >= 0, $"{RateLimitSettings.Section}:RequestsPerSecond must be 0 (off) or a positive whole number")
            .Validate(s => s.Burst >= 0, $"{RateLimitSettings.Section}:Burst must be 0 (off) or a positive whole number")
            .ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitSettings>>((options, settings) => RateLimits.Configure(options, settings.Value));
        return services;
    }
}
