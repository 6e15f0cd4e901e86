using Berth.Testing;

namespace Berth.Server.Tests.Hostile;

[Collection(HostileGroup.Name)]
public sealed class HeaderInjectionTests(HostileServerFixture hostile) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => hostile.AssertIntactAsync();

    [Theory]
    [InlineData("X-Test: a\rX-Injected: b\r\n")]
    [InlineData("X-Test: a\r\n X-Injected: b\r\n")]
    [InlineData("X-Test: a\0b\r\n")]
    [InlineData("X-Test : spaced\r\n")]
    [InlineData("X Test: a\r\n")]
    public async Task Proxy_MalformedHeaderLine_Is400AndNeverForwarded(string header)
    {
        var marker = $"m{Guid.NewGuid():N}";

        var response = await hostile.SendRawAsync(RawHttp.Request("GET", $"/agents/{hostile.A}/cgi-bin/env?{marker}", Bearer() + header));

        response.Status.ShouldBe(400, response.ToString());
        hostile.RequestLog.ShouldNotContain(marker);
    }

    [Theory]
    [InlineData("Transfer-Encoding: chunked\r\nContent-Length: 4\r\n")]
    [InlineData("Content-Length: 4\r\nTransfer-Encoding: chunked\r\n")]
    [InlineData("Content-Length: 4\r\nTransfer-Encoding: identity, chunked\r\n")]
    [InlineData("Content-Length: 4\r\nContent-Length: 200\r\n")]
    [InlineData("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n")]
    public async Task Proxy_ConflictingBodyFraming_NeverSmugglesASecondRequestToTheAgent(string framing)
    {
        var first = $"first{Guid.NewGuid():N}";
        var smuggled = $"smuggled{Guid.NewGuid():N}";
        var inner = $"abcdGET /cgi-bin/env?{smuggled} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        var body = $"{inner.Length:x}\r\n{inner}\r\n0\r\n\r\n";

        var response = await hostile.SendRawAsync(RawHttp.Request("POST", $"/agents/{hostile.A}/cgi-bin/env?{first}", Bearer() + framing, body));
        await AgentServedALaterRequestAsync();

        response.Status.ShouldBeInRange(200, 499, response.ToString());
        response.Count.ShouldBe(1, response.ToString());
        hostile.RequestLog.ShouldNotContain(smuggled);
        if (response.Status == 200)
        {
            // Kestrel read the body as chunked; the client's Content-Length must not frame what the agent gets, or a
            // keep-alive agent would take the bytes after the first 4 as a second request.
            response.Body.ShouldNotContain("length=4\n", Case.Sensitive, response.ToString());
        }
    }

    [Fact]
    public async Task Proxy_ConnectionHeaderNamingTheProxysHeaders_CannotStripThem()
    {
        // Named headers are dropped (see Proxy_HeaderNamedByConnection_IsNotForwarded), but naming the proxy's own headers
        // cannot remove them: the proxy sets them after dropping.
        var response = await hostile.SendRawAsync(
            $"GET /agents/{hostile.A}/cgi-bin/env HTTP/1.1\r\nHost: 127.0.0.1\r\n{Bearer()}" +
            "Connection: close, X-Forwarded-For, X-Forwarded-Prefix, X-Forwarded-Host, X-Test\r\nX-Test: named\r\n\r\n");

        response.Status.ShouldBe(200, response.ToString());
        response.ShouldHaveLine("xff=127.0.0.1");
        response.ShouldHaveLine($"xfprefix=/agents/{hostile.A}");
        response.ShouldHaveLine("xfhost=127.0.0.1");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Proxy_HeaderNamedByConnection_IsNotForwarded(bool durable)
    {
        var agent = durable ? hostile.A : hostile.Plain;

        var response = await hostile.SendRawAsync(
            $"GET /agents/{agent}/cgi-bin/env HTTP/1.1\r\nHost: 127.0.0.1\r\n{Bearer()}Connection: close, X-Test\r\nX-Test: hop-only\r\nX-Secret: kept\r\n\r\n");

        response.Status.ShouldBe(200, response.ToString());
        // RFC 9110 7.6.1: a header the Connection header names is for this hop only.
        response.ShouldHaveLine("test=");
        response.ShouldHaveLine("secret=kept");
    }

    [Fact]
    public async Task Proxy_SpoofedHost_DoesNotChangeWhereTheRequestGoesNorTheHostTheAgentSees()
    {
        var request = $"GET /agents/{hostile.A}/cgi-bin/env HTTP/1.1\r\nHost: evil.example\r\n{Bearer()}Connection: close\r\n\r\n";

        var response = await hostile.SendRawAsync(request);

        response.Status.ShouldBe(200, response.ToString());
        response.ShouldHaveLine($"agent={hostile.A}");
        response.Body.ShouldContain("host=127.0.0.1:");
        response.ShouldHaveLine("xfhost=evil.example");
    }

    [Theory]
    [InlineData("Host: evil.example/../x\r\n")]
    [InlineData("Host: a\u0001b\r\n")]
    [InlineData("Host: one.example\r\nHost: two.example\r\n")]
    public async Task Request_InvalidHost_Is400(string hosts)
    {
        var response = await hostile.SendRawAsync($"GET /agents/{hostile.A}/cgi-bin/env HTTP/1.1\r\n{hosts}{Bearer()}Connection: close\r\n\r\n");

        response.Status.ShouldBe(400, response.ToString());
    }

    [Fact]
    public async Task Request_TooManyHeaders_Is431()
    {
        var headers = string.Concat(Enumerable.Range(0, 500).Select(i => $"X-Many-{i}: {i}\r\n"));

        var response = await hostile.SendRawAsync(RawHttp.Request("GET", $"/agents/{hostile.A}/cgi-bin/env", Bearer() + headers));

        response.Status.ShouldBe(431, response.ToString());
    }

    [Fact]
    public async Task Proxy_CallersBerthToken_IsNeverForwardedToTheAgent()
    {
        var response = await hostile.SendRawAsync(RawHttp.Request(
            "GET", $"/agents/{hostile.A}/cgi-bin/env", Bearer() + "Proxy-Authorization: Basic eDp5\r\nX-Test: visible\r\n"));

        response.Status.ShouldBe(200, response.ToString());
        response.ShouldHaveLine("test=visible");
        response.ShouldHaveLine("authorization=");
        response.Body.ShouldNotContain(hostile.OperatorToken);
    }

    [Fact]
    public async Task Proxy_ClientSuppliedForwardingHeaders_AreReplacedByTheServersOwn()
    {
        var spoofed = "X-Forwarded-For: 6.6.6.6\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: evil.example\r\n" +
                      "X-Forwarded-Prefix: /evil\r\nForwarded: for=6.6.6.6;proto=https\r\nX-Forwarded-Port: 1\r\n";

        var response = await hostile.SendRawAsync(RawHttp.Request("GET", $"/agents/{hostile.A}/cgi-bin/env", Bearer() + spoofed));

        response.Status.ShouldBe(200, response.ToString());
        response.ShouldHaveLine("xff=127.0.0.1");
        response.ShouldHaveLine("xfproto=http");
        response.ShouldHaveLine("xfhost=127.0.0.1");
        response.ShouldHaveLine($"xfprefix=/agents/{hostile.A}");
        response.ShouldHaveLine("forwarded=");
        response.Body.ShouldNotContain("6.6.6.6");
        response.Body.ShouldNotContain("evil");
    }

    private string Bearer() => $"Authorization: Bearer {hostile.OperatorToken}\r\n";

    /// <summary>
    /// Sends a plain request after the hostile one and waits until the agent has logged it: whatever the hostile request
    /// smuggled through reached the agent before, so it would be in the log by now.
    /// </summary>
    private async Task AgentServedALaterRequestAsync()
    {
        var later = $"later{Guid.NewGuid():N}";
        var response = await hostile.SendRawAsync(RawHttp.Request("GET", $"/agents/{hostile.A}/cgi-bin/env?{later}", Bearer()));
        response.Status.ShouldBe(200, response.ToString());
        await Eventually.TrueAsync(() => hostile.RequestLog.Contains(later, StringComparison.Ordinal), "the later request in the agent's log", TestTimeouts.Quick);
    }
}
