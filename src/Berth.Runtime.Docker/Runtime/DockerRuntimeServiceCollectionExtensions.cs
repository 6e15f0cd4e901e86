using Berth.Core.Runtime;
using Berth.Core.Workflows.Execution;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Steps;
using Berth.Runtime.Docker.Swarm;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Berth.Runtime.Docker.Runtime;

/// <summary>Registers the docker driver.</summary>
public static class DockerRuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Engine API client and <see cref="DockerAgentRuntime"/> as an <see cref="IAgentRuntime"/>, with its options
    /// validated at start. The host binds the options (the server from <c>Berth:Docker</c>); <paramref name="configure"/> adds to that.
    /// </summary>
    public static IServiceCollection AddDockerRuntime(this IServiceCollection services, Action<DockerRuntimeOptions>? configure = null)
    {
        services.AddDockerEngine(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgentRuntime, DockerAgentRuntime>(sp => sp.GetRequiredService<DockerAgentRuntime>()));
        return services;
    }

    /// <summary>
    /// Adds <see cref="SwarmAgentRuntime"/> as the <see cref="IAgentRuntime"/> for container agents, on the same engine client and
    /// docker options (which it uses to build and check images, and to sample or exec into tasks on this node). The host binds
    /// <see cref="SwarmRuntimeOptions"/> from <c>Berth:Swarm</c>.
    /// </summary>
    public static IServiceCollection AddSwarmRuntime(this IServiceCollection services, Action<DockerRuntimeOptions>? configure = null)
    {
        services.AddDockerEngine(configure);
        services.AddOptions<SwarmRuntimeOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SwarmRuntimeOptions>, SwarmRuntimeOptionsValidator>());
        services.TryAddSingleton<SwarmAgentRuntime>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgentRuntime, SwarmAgentRuntime>(sp => sp.GetRequiredService<SwarmAgentRuntime>()));
        return services;
    }

    // The engine client, the docker driver (a service of its own: the swarm driver and image builds use it too) and the step runner.
    private static void AddDockerEngine(this IServiceCollection services, Action<DockerRuntimeOptions>? configure)
    {
        var options = services.AddOptions<DockerRuntimeOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DockerRuntimeOptions>, DockerRuntimeOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var socket = sp.GetRequiredService<IOptions<DockerRuntimeOptions>>().Value.Socket;
            // the default path yields to DOCKER_HOST, as the docker CLI does
            return new DockerEngineClient(socket == DockerEngineClient.DefaultSocketPath ? null : socket);
        });
        services.TryAddSingleton<DockerAgentRuntime>();
        services.TryAddSingleton<IContainerStepRunner, DockerContainerStepRunner>();
    }
}
