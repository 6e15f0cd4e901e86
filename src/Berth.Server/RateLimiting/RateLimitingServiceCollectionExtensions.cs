using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Berth.Server.RateLimiting;

/// <summary>Registers per-token rate limits from <c>Berth:RateLimit</c>; the pipeline adds them with <c>app.UseRateLimiter()</c> after authentication.</summary>
internal static class RateLimitingServiceCollectionExtensions
{
    public static IServiceCollection AddBerthRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RateLimitSettings>().Bind(configuration.GetSection(RateLimitSettings.Section))
            .Validate(s => !s.Enabled || s.RequestsPerSecond > 0, Positive(nameof(RateLimitSettings.RequestsPerSecond)))
            .Validate(s => !s.Enabled || s.Burst > 0, Positive(nameof(RateLimitSettings.Burst)))
            .Validate(s => !s.Enabled || s.BytesPerSecond > 0, Positive(nameof(RateLimitSettings.BytesPerSecond)))
            .Validate(s => !s.Enabled || s.BytesBurst > 0, Positive(nameof(RateLimitSettings.BytesBurst)))
            .ValidateOnStart();
        services.TryAddSingleton<ByteRateLimiter>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitSettings>>((options, settings) => RateLimits.Configure(options, settings.Value));
        return services;
    }

    private static string Positive(string key) =>
        $"{RateLimitSettings.Section}:{key} must be a positive whole number; to turn rate limiting off, set {RateLimitSettings.Section}:Enabled=false";
}
