using Berth.Core.Specs;

namespace Berth.Core.Tests.Specs;

/// <summary>The agent spec's <c>protocol</c> field: read, refused when unknown, written out only when not the default.</summary>
public sealed class AgentProtocolSpecTests
{
    [Theory]
    [InlineData("http", AgentProtocol.Http)]
    [InlineData("http2", AgentProtocol.Http2)]
    public void Read_Protocol_IsParsed(string protocol, AgentProtocol expected) =>
        SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1", $"protocol: {protocol}"))
            .ShouldBeSingleValidAgent().Protocol.ShouldBe(expected);

    [Fact]
    public void Read_NoProtocol_IsHttp() =>
        SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1"))
            .ShouldBeSingleValidAgent().Protocol.ShouldBe(AgentProtocol.Http);

    [Theory]
    [InlineData("grpc")]
    [InlineData("h2c")]
    [InlineData("3")]
    public void Read_UnknownProtocol_ListsTheProtocols(string protocol) =>
        SpecTestData.Read(SpecTestData.Agent("echo", "image: local/echo:1", $"protocol: {protocol}"))
            .ShouldHaveOneError("spec.protocol").Message.ShouldContain("http or http2");

    [Fact]
    public void ToYaml_Http2_IsWrittenAndReadsBack()
    {
        var spec = new AgentSpec { Name = "echo", Image = "local/echo:1", Protocol = AgentProtocol.Http2 };

        var yaml = SpecWriter.ToYaml(spec);

        yaml.ShouldContain("protocol: http2");
        SpecTestData.Read(yaml).ShouldBeSingleValidAgent().Protocol.ShouldBe(AgentProtocol.Http2);
    }

    [Fact]
    public void ToYaml_DefaultProtocol_IsLeftOut() =>
        SpecWriter.ToYaml(new AgentSpec { Name = "echo", Image = "local/echo:1" }).ShouldNotContain("protocol");
}
