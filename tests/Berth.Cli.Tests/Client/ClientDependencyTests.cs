using System.Reflection;
using Berth.Client;
using Berth.Core.Specs;

namespace Berth.Cli.Tests.Client;

public sealed class ClientDependencyTests
{
    [Fact]
    public void BerthClient_References_OnlyTheWireContractsBeyondTheFramework()
    {
        NonFramework(typeof(BerthClient).Assembly).ShouldBe(["Berth.Contracts"], "an app using the client must not pull the spec reader, YAML or cron libraries with it");
        NonFramework(typeof(AgentSpec).Assembly).ShouldBeEmpty();
    }

    private static List<string> NonFramework(Assembly assembly) =>
        [.. assembly.GetReferencedAssemblies().Select(a => a.Name!).Where(n => !n.StartsWith("System", StringComparison.Ordinal) && n is not ("netstandard" or "mscorlib"))];
}
