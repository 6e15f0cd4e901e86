using Berth.Core.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Berth.Runtime.Process;

/// <summary>Registers the <c>process</c> runtime driver.</summary>
public static class ProcessRuntimeServiceCollectionExtensions
{
    /// <summary>Adds <see cref="ProcessAgentRuntime"/> as an <see cref="IAgentRuntime"/>, with its options validated at start.</summary>
    public static IServiceCollection AddProcessRuntime(this IServiceCollection services, Action<ProcessRuntimeOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<ProcessRuntimeOptions>()
            .Configure(configure)
            .Validate(o => Path.IsPathFullyQualified(o.StateDirectory), "Berth:Process:StateDirectory must be an absolute path")
            .Validate(o => o.StopGrace >= TimeSpan.Zero, "Berth:Process:StopGrace must not be negative")
            .Validate(o => Path.IsPathFullyQualified(o.AgentsDirectory), "Berth:Process:AgentsDirectory must be an absolute path")
            .Validate(o => o.AgentUserBase > 0 && o.AgentUserCount > 0 && o.AgentUserBase + (ulong)o.AgentUserCount < uint.MaxValue, "Berth:Process:AgentUserBase and AgentUserCount must give uids between 1 and 4294967294")
            .Validate(o => o.LogMaxBytes >= ProcessAgentRuntime.MinLogMaxBytes, "Berth:Process:LogMaxBytes must be at least 1024 (bytes)")
            .Validate(o => o.LogMaxFiles >= 1, "Berth:Process:LogMaxFiles must be at least 1")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ProcessAgentRuntime>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgentRuntime, ProcessAgentRuntime>(sp => sp.GetRequiredService<ProcessAgentRuntime>()));
        return services;
    }
}
