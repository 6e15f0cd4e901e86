using System.Net;
using Berth.Runtime.Docker.Runtime;

namespace Berth.Runtime.Docker.Tests.Runtime;

public sealed class AgentSubnetPickerTests
{
    private static readonly IPNetwork Range = IPNetwork.Parse("10.213.0.0/24");

    [Fact]
    public void Next_NothingUsed_TakesTheFirstBlock()
    {
        var block = AgentSubnetPicker.Next(Range, 26, []);

        block.ShouldBe(IPNetwork.Parse("10.213.0.0/26"));
    }

    [Fact]
    public void Next_FirstBlocksUsed_TakesTheFirstFreeOne()
    {
        var block = AgentSubnetPicker.Next(Range, 26, [IPNetwork.Parse("10.213.0.0/26"), IPNetwork.Parse("10.213.0.128/26")]);

        block.ShouldBe(IPNetwork.Parse("10.213.0.64/26"));
    }

    [Fact]
    public void Next_SmallerNetworkInsideABlock_SkipsThatWholeBlock()
    {
        var block = AgentSubnetPicker.Next(Range, 26, [IPNetwork.Parse("10.213.0.40/29")]);

        block.ShouldBe(IPNetwork.Parse("10.213.0.64/26"), "a /29 inside the first /26 overlaps it");
    }

    [Fact]
    public void Next_LargerNetworkCoveringPartOfTheRange_SkipsEveryBlockItCovers()
    {
        var block = AgentSubnetPicker.Next(IPNetwork.Parse("10.213.0.0/16"), 24, [IPNetwork.Parse("10.213.0.0/17")]);

        block.ShouldBe(IPNetwork.Parse("10.213.128.0/24"));
    }

    [Fact]
    public void Next_NetworksOutsideTheRangeAndIpv6_AreIgnored()
    {
        var block = AgentSubnetPicker.Next(Range, 26, [IPNetwork.Parse("172.17.0.0/16"), IPNetwork.Parse("10.212.255.0/24"), IPNetwork.Parse("fd00::/64")]);

        block.ShouldBe(IPNetwork.Parse("10.213.0.0/26"));
    }

    [Fact]
    public void Next_NetworkCoveringTheWholeRange_ReturnsNone()
    {
        AgentSubnetPicker.Next(Range, 26, [IPNetwork.Parse("10.0.0.0/8")]).ShouldBeNull();
    }

    [Fact]
    public void Next_EveryBlockUsed_ReturnsNone()
    {
        IPNetwork[] used = [.. Enumerable.Range(0, 4).Select(i => IPNetwork.Parse($"10.213.0.{i * 64}/26"))];

        AgentSubnetPicker.Next(Range, 26, used).ShouldBeNull();
    }

    [Fact]
    public void Next_BlockLargerThanTheRange_Throws()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => AgentSubnetPicker.Next(Range, 23, []));
    }

    [Theory]
    [InlineData("10.213.0.0/26", "10.213.0.1")]
    [InlineData("10.213.1.192/29", "10.213.1.193")]
    public void Gateway_Block_IsItsFirstHostAddress(string block, string gateway)
    {
        AgentSubnetPicker.Gateway(IPNetwork.Parse(block)).ShouldBe(IPAddress.Parse(gateway));
    }

    [Theory]
    [InlineData("172.18.0.0/16", "172.18.0.0/16")]
    [InlineData("10.1.2.3/16", "10.1.0.0/16")]
    [InlineData("fd00::/64", "fd00::/64")]
    public void ParseUsed_EngineSubnet_IsReadAsItsBlock(string subnet, string expected)
    {
        AgentSubnetPicker.ParseUsed(subnet).ShouldBe(IPNetwork.Parse(expected));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("10.1.2.3")]
    [InlineData("10.1.2.3/33")]
    [InlineData("10.1.2.3/-1")]
    [InlineData("banana/8")]
    public void ParseUsed_Garbage_IsNull(string? subnet)
    {
        AgentSubnetPicker.ParseUsed(subnet).ShouldBeNull();
    }
}
