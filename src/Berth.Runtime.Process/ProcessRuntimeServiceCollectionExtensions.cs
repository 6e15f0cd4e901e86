using Berth.Core.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Berth.Runtime.Process;

/// <summary>Registers the <c>process</c> runtime driver.</summary>
public static class ProcessRuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ProcessAgentRuntime"/> as an <see cref="IAgentRuntime"/>, with its options validated at start. The host binds
    /// the options (the server from <c>Berth:Process</c>); <paramref name="configure"/> adds to that.
    /// </summary>
    public static IServiceCollection AddProcessRuntime(this IServiceCollection services, Action<ProcessRuntimeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptions<ProcessRuntimeOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProcessRuntimeOptions>, ProcessRuntimeOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ProcessAgentRuntime>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgentRuntime, ProcessAgentRuntime>(sp => sp.GetRequiredService<ProcessAgentRuntime>()));
        return services;
    }
}
