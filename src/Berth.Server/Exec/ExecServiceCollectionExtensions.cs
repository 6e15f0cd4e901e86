using Berth.Server.Hosting.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Berth.Server.Exec;

/// <summary>Registers the settings of <c>berth exec</c> sessions.</summary>
internal static class ExecServiceCollectionExtensions
{
    public static IServiceCollection AddBerthExec(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ExecSettings>().BindSettings(configuration.GetSection(ExecSettings.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ExecSettings>, ExecSettingsValidator>());
        return services;
    }
}
