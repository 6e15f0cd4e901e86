using Berth.Server.Hosting.Settings;
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
        services.AddOptions<RateLimitSettings>().BindSettings(configuration.GetSection(RateLimitSettings.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RateLimitSettings>, RateLimitSettingsValidator>());
        services.TryAddSingleton<ByteRateLimiter>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitSettings>>((options, settings) => RateLimits.Configure(options, settings.Value));
        return services;
    }
}
