using Berth.Core.Workflows.Execution;
using Berth.Runtime.Docker.Runtime;
using Berth.Runtime.Docker.Steps;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Runtime.Docker.Tests.Steps;

public sealed class StepRunnerRegistrationTests
{
    [Fact]
    public void AddDockerRuntime_CalledTwice_RegistersOneDockerStepRunnerThatResolves()
    {
        var services = new ServiceCollection();

        services.AddDockerRuntime().AddDockerRuntime();
        using var provider = services.BuildServiceProvider();

        services.Count(d => d.ServiceType == typeof(IContainerStepRunner)).ShouldBe(1);
        provider.GetRequiredService<IContainerStepRunner>().ShouldBeOfType<DockerContainerStepRunner>();
    }
}
