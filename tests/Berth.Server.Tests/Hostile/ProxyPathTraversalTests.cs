namespace Berth.Server.Tests.Hostile;

[Collection(HostileGroup.Name)]
public sealed class ProxyPathTraversalTests(HostileServerFixture hostile) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => hostile.AssertIntactAsync();

    [Theory]
    [InlineData("/../../api/v1/tokens")]
    [InlineData("/%2e%2e/%2e%2e/api/v1/tokens")]
    [InlineData("/%2E%2E/%2E%2E/api/v1/tokens")]
    [InlineData("/.%2e/.%2e/api/v1/tokens")]
    [InlineData("/..%2f..%2fapi/v1/tokens")]
    [InlineData("/..%2F..%2Fapi%2Fv1%2Ftokens")]
    [InlineData("/%252e%252e/%252e%252e/api/v1/tokens")]
    [InlineData("/..\\..\\api\\v1\\tokens")]
    [InlineData("/cgi-bin/env/../../../../api/v1/tokens")]
    public async Task Proxy_TraversalTowardsTheTokensApi_NeverListsTokens(string suffix)
    {
        var response = await hostile.SendRawAsync(RawHttp.Request("GET", $"/agents/{hostile.A}{suffix}", Bearer(hostile.OperatorToken)));

        response.Status.ShouldBeInRange(400, 499, response.ToString());
        response.Body.ShouldNotContain("\"role\"", Case.Sensitive, "the tokens API answered");
    }

    [Theory]
    [InlineData("/../{b}/cgi-bin/env")]
    [InlineData("/%2e%2e/{b}/cgi-bin/env")]
    [InlineData("/..%2f{b}/cgi-bin/env")]
    [InlineData("/..%2F{b}%2Fcgi-bin%2Fenv")]
    [InlineData("/%252e%252e/{b}/cgi-bin/env")]
    [InlineData("/..\\{b}\\cgi-bin\\env")]
    [InlineData("/cgi-bin/env/../../../{b}/cgi-bin/env")]
    [InlineData("/./../{b}/cgi-bin/env")]
    public async Task Proxy_TraversalTowardsAnotherAgent_NeverReachesIt(string suffix)
    {
        var marker = $"m{Guid.NewGuid():N}";
        var target = $"/agents/{hostile.A}{suffix.Replace("{b}", hostile.B, StringComparison.Ordinal)}?{marker}";

        var response = await hostile.SendRawAsync(RawHttp.Request("GET", target, Bearer(hostile.OperatorToken)));

        response.Status.ShouldBeInRange(400, 499, response.ToString());
        response.Body.ShouldNotContain($"agent={hostile.B}");
        hostile.RequestLog.ShouldNotContain(marker);
    }

    [Fact]
    public async Task Proxy_DotSegments_AreRefusedWithAProblem()
    {
        var response = await hostile.SendRawAsync(RawHttp.Request("GET", $"/agents/{hostile.A}/x/../cgi-bin/env", Bearer(hostile.OperatorToken)));

        response.Status.ShouldBe(400, response.ToString());
        response.Head.ShouldContain("application/problem+json");
        response.Body.ShouldContain("'..'");
    }

    [Theory]
    [InlineData("/cgi-bin/env/%252e%252e/x", "pathinfo=/%2e%2e/x")]
    [InlineData("/cgi-bin/env/a%20b", "pathinfo=/a b")]
    [InlineData("/cgi-bin/env/%2e%2ehidden", "pathinfo=/..hidden")]
    [InlineData("/cgi-bin/env//x", "pathinfo=/x")]
    public async Task Proxy_EncodedPath_ReachesTheNamedAgentDecodedOnce(string suffix, string expected)
    {
        var response = await hostile.SendRawAsync(RawHttp.Request("GET", $"/agents/{hostile.A}{suffix}", Bearer(hostile.OperatorToken)));

        response.Status.ShouldBe(200, response.ToString());
        response.ShouldHaveLine($"agent={hostile.A}");
        response.ShouldHaveLine(expected);
    }

    [Fact]
    public async Task Proxy_PathOverTheRequestLineLimit_Is414()
    {
        var response = await hostile.SendRawAsync(RawHttp.Request("GET", $"/agents/{hostile.A}/{new string('a', 100_000)}", Bearer(hostile.OperatorToken)));

        response.Status.ShouldBe(414, response.ToString());
    }

    [Fact]
    public async Task Proxy_LongPathUnderTheLimit_ReachesTheNamedAgent()
    {
        var tail = string.Concat(Enumerable.Repeat("segment/", 500));
        var response = await hostile.SendRawAsync(RawHttp.Request("GET", $"/agents/{hostile.A}/cgi-bin/env/{tail}", Bearer(hostile.OperatorToken)));

        response.Status.ShouldBeInRange(200, 499, response.ToString());
        response.Body.ShouldNotContain($"agent={hostile.B}");
    }

    private static string Bearer(string token) => $"Authorization: Bearer {token}\r\n";
}
