using Berth.Core.Runtime;
using Berth.Core.Workflows.Execution;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Steps;
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
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgentRuntime, DockerAgentRuntime>());
        services.TryAddSingleton<IContainerStepRunner, DockerContainerStepRunner>();
        return services;
    }
}
