using System.Net;
using Berth.Core.Runtime;
using Berth.Runtime.Docker.Engine;
using Berth.Runtime.Docker.Runtime;

namespace Berth.Runtime.Docker.Tests.Runtime;

public sealed class EngineNetworkErrorTests
{
    // dockerd 20.10's answer when its default-address-pools are spent
    private const string PoolsSpent = "could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network";

    [Fact]
    public void DefaultPoolsExhausted_EngineAnswer_BecomesConfigNamingBothFixes()
    {
        var engine = new DockerEngineException("create network", RuntimeErrorKind.Transient, HttpStatusCode.InternalServerError, PoolsSpent);

        DockerAgentRuntime.IsDefaultPoolsExhausted(engine).ShouldBeTrue();
        var error = DockerAgentRuntime.DefaultPoolsExhausted("echo", engine);

        error.Kind.ShouldBe(RuntimeErrorKind.Config, "retrying cannot help until the operator changes a setting");
        error.Message.ShouldContain("agent 'echo'");
        error.Message.ShouldContain("set Berth:Docker:AgentSubnets to a free private range such as 10.213.0.0/16, or give dockerd smaller default-address-pools");
    }

    [Theory]
    [InlineData("Pool overlaps with other one on this address space", false, true)]
    [InlineData(PoolsSpent, true, false)]
    [InlineData("network with name berth-x already exists", false, false)]
    [InlineData(null, false, false)]
    public void EngineAnswer_IsClassified(string? message, bool exhausted, bool overlap)
    {
        var engine = new DockerEngineException("create network", RuntimeErrorKind.Config, HttpStatusCode.Forbidden, message);

        DockerAgentRuntime.IsDefaultPoolsExhausted(engine).ShouldBe(exhausted);
        DockerAgentRuntime.IsPoolOverlap(engine).ShouldBe(overlap);
    }
}
