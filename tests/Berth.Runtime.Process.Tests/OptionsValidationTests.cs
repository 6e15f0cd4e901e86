using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Berth.Runtime.Process.Tests;

public sealed class OptionsValidationTests
{
    [Fact]
    public void AddProcessRuntime_BadValues_FailOnceEachNamingTheKey()
    {
        using var provider = new ServiceCollection()
            .AddProcessRuntime(o => (o.StateDirectory, o.AgentsDirectory, o.StopGrace, o.LogMaxFiles) = ("/tmp/state", "/tmp/agents", TimeSpan.FromSeconds(-1), 0))
            .AddProcessRuntime()
            .BuildServiceProvider();

        var failure = Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ProcessRuntimeOptions>>().Value);

        failure.Failures.ShouldBe(["Berth:Process:StopGrace must not be negative", "Berth:Process:LogMaxFiles must be at least 1"]);
    }
}
