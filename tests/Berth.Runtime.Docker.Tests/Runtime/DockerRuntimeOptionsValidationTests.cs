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

    [Theory]
    [InlineData(null, 26)]
    [InlineData("", 26)]
    [InlineData("10.213.0.0/16", 26)]
    [InlineData("10.213.0.0/16", 17)]
    [InlineData("10.213.7.0/24", 29)]
    public void AddDockerRuntime_GoodAgentSubnets_Pass(string? range, int prefix)
    {
        Validate(range, prefix).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("10.213.0.0/16", 15, "Berth:Docker:AgentSubnetPrefix must be from 16 to 29; got 15")]
    [InlineData(null, 30, "Berth:Docker:AgentSubnetPrefix must be from 16 to 29; got 30")]
    [InlineData("10.213.0.1/16", 26, "Berth:Docker:AgentSubnets must be an IPv4 range in CIDR form with no host bits, such as 10.213.0.0/16; got '10.213.0.1/16'")]
    [InlineData("10.213.0.0", 26, "Berth:Docker:AgentSubnets must be an IPv4 range in CIDR form with no host bits, such as 10.213.0.0/16; got '10.213.0.0'")]
    [InlineData("fd00::/48", 26, "Berth:Docker:AgentSubnets must be an IPv4 range in CIDR form with no host bits, such as 10.213.0.0/16; got 'fd00::/48'")]
    [InlineData("10.213.0.0/26", 26, "Berth:Docker:AgentSubnetPrefix (26) must be longer than the prefix of Berth:Docker:AgentSubnets (10.213.0.0/26)")]
    [InlineData("10.213.0.0/28", 20, "Berth:Docker:AgentSubnetPrefix (20) must be longer than the prefix of Berth:Docker:AgentSubnets (10.213.0.0/28)")]
    public void AddDockerRuntime_BadAgentSubnets_FailNamingTheKey(string? range, int prefix, string message)
    {
        Validate(range, prefix).ShouldHaveSingleItem().ShouldStartWith(message);
    }

    [Fact]
    public void AddDockerRuntime_HugeAgentSubnets_IsCutInTheMessage()
    {
        var failure = Validate(new string('9', 10_000), 26).ShouldHaveSingleItem();

        failure.Length.ShouldBeLessThan(300);
    }

    private static IReadOnlyList<string> Validate(string? range, int prefix)
    {
        using var provider = new ServiceCollection()
            .AddDockerRuntime(o => (o.AgentSubnets, o.AgentSubnetPrefix) = (range, prefix))
            .BuildServiceProvider();
        try
        {
            _ = provider.GetRequiredService<IOptions<DockerRuntimeOptions>>().Value;
            return [];
        }
        catch (OptionsValidationException failure)
        {
            return [.. failure.Failures];
        }
    }
}
