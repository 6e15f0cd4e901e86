using Berth.Server.Mcp.Gateway;

namespace Berth.Server.Tests.Mcp;

/// <summary>The names gateway clients see: <c>{agent}__{tool}</c>, only letters, digits, '_' and '-', at most 64 characters, unique.</summary>
public sealed class GatewayToolNamesTests
{
    [Theory]
    [InlineData("weather", "forecast", "weather__forecast")]
    [InlineData("weather", "get-forecast_v2", "weather__get-forecast_v2")]
    [InlineData("fs", "files.read", "fs__files_read")]
    [InlineData("fs", "read file/ünïcode", "fs__read_file__n_code")]
    public void Expose_ToolName_KeepsOrReplacesCharacters(string agent, string tool, string expected) =>
        GatewayToolNames.Expose(agent, tool).ShouldBe(expected);

    [Fact]
    public void Expose_LongNames_AreCutTo64AndStayDistinct()
    {
        var agent = new string('a', 40);
        var one = GatewayToolNames.Expose(agent, new string('t', 40) + "one");
        var two = GatewayToolNames.Expose(agent, new string('t', 40) + "two");

        one.Length.ShouldBe(GatewayToolNames.MaxLength);
        two.Length.ShouldBe(GatewayToolNames.MaxLength);
        one.ShouldNotBe(two);
        one.ShouldStartWith(agent + "__");
        one.ShouldAllBe(c => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-');
    }
}
