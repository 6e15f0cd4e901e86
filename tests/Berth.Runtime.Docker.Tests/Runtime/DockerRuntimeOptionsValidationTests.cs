using Berth.Runtime.Docker.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Berth.Runtime.Docker.Tests.Runtime;

public sealed class DockerRuntimeOptionsValidationTests
{
    [Fact]
    public void AddDockerRuntime_BadValues_FailOnceEachNamingTheKey()
    {
        using var provider = new ServiceCollection()
            .AddDockerRuntime(o => (o.StopGrace, o.NetworkPrefix, o.Socket) = (TimeSpan.FromSeconds(-1), "", "docker.sock"))
            .AddDockerRuntime()
            .BuildServiceProvider();

        var failure = Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DockerRuntimeOptions>>().Value);

        failure.Failures.ShouldBe(
        [
            "Berth:Docker:Socket must be an absolute path to the engine's unix socket",
            "Berth:Docker:StopGrace must not be negative",
            "Berth:Docker:NetworkPrefix must not be empty",
        ]);
    }
}
