using Berth.Server.Hosting.Settings;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Berth.Server.Audit;

/// <summary>Registers the audit log (queue and background writer) and adds its middleware to the pipeline.</summary>
internal static class AuditServiceCollectionExtensions
{
    /// <summary>Adds the <see cref="AuditLog"/> and the <see cref="AuditWriter"/> that stores it. Expects an <see cref="Core.Storage.IAuditStore"/>.</summary>
    public static IServiceCollection AddBerthAudit(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<AuditSettings>().BindSettings(configuration.GetSection(AuditSettings.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuditSettings>, AuditSettingsValidator>());
        services.TryAddSingleton<AuditLog>();
        services.AddHostedService<AuditWriter>();
        services.AddHostedService<AuditRetention>();
        return services;
    }

    /// <summary>Adds the <see cref="AuditMiddleware"/>; place it after authentication and before the rate limiter and authorization.</summary>
    public static IApplicationBuilder UseBerthAudit(this IApplicationBuilder app) => app.UseMiddleware<AuditMiddleware>();
}
