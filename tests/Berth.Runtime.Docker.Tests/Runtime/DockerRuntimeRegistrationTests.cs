using Berth.Core.Runtime;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Runtime.Docker.Tests.Runtime;

public sealed class DockerRuntimeRegistrationTests
{
    [Fact]
    public void AddDockerRuntime_CalledTwice_RegistersOneDriverAndOneClient()
    {
        var services = new ServiceCollection();

        services.AddDockerRuntime(o => o.NetworkPrefix = "x-").AddDockerRuntime();

        services.Count(d => d.ServiceType == typeof(IAgentRuntime)).ShouldBe(1);
        services.Count(d => d.ServiceType == typeof(DockerAgentRuntime)).ShouldBe(1);
        services.Count(d => d.ServiceType == typeof(DockerEngineClient)).ShouldBe(1);
        services.Count(d => d.ServiceType == typeof(TimeProvider)).ShouldBe(1);
    }
}
