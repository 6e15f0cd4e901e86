using Berth.Core.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Runtime.Process.Tests;

public sealed class ServiceRegistrationTests
{
    [Fact]
    public void AddProcessRuntime_CalledTwice_RegistersOneAgentRuntime()
    {
        var services = new ServiceCollection();

        services.AddProcessRuntime(o => o.StateDirectory = "/tmp/x").AddProcessRuntime(o => o.StateDirectory = "/tmp/x");

        services.Where(d => d.ServiceType == typeof(IAgentRuntime)).ShouldHaveSingleItem();
        services.ShouldContain(d => d.ServiceType == typeof(TimeProvider));
    }
}
