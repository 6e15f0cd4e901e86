using System.Net;
using System.Text;
using Berth.Testing;

namespace Berth.Server.Tests.Hostile;

[Collection(HostileGroup.Name)]
public sealed class MalformedTokenTests(HostileServerFixture hostile) : IAsyncLifetime
{
    public static TheoryData<string> MalformedHeaders => new()
    {
        "Bearer",
        "Bearer ",
        "Bearer    ",
        "Bearer " + new string('j', 10_000),
        "Bearer berth_" + new string('A', 43) + "==",
        "Bearer berth_" + new string('A', 42) + "!",
        "Bearer berth_" + Convert.ToBase64String(Encoding.UTF8.GetBytes(new string('x', 32))).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
        "Basic dXNlcjpwYXNz",
        "Digest username=\"admin\"",
        "berth_" + new string('A', 43),
        "Bearer\tberth_" + new string('A', 43),
        "Bearer Bearer Bearer",
    };

    private static readonly string[] Routes = ["/api/v1/agents", "/api/v1/tokens", "/openapi/v1.json", "/agents/{a}/cgi-bin/env"];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => hostile.AssertIntactAsync();

    [Theory]
    [MemberData(nameof(MalformedHeaders))]
    public async Task AnyRoute_MalformedAuthorization_Is401WithAProblem(string header)
    {
        foreach (var route in Routes.Select(r => r.Replace("{a}", hostile.A, StringComparison.Ordinal)))
        {
            var response = await hostile.SendRawAsync(RawHttp.Request("GET", route, $"Authorization: {header}\r\n"));

            response.Status.ShouldBe(401, $"{route}: {response}");
            response.Head.ShouldContain("application/problem+json");
        }
    }

    [Theory]
    [InlineData(new byte[] { 0xff, 0xfe, 0x80 })]
    [InlineData(new byte[] { 0xc3, 0xa9, 0xe2, 0x82, 0xac })]
    public async Task AnyRoute_NonAsciiToken_Is400Or401NeverForwarded(byte[] junk)
    {
        var marker = $"m{Guid.NewGuid():N}";
        var head = Encoding.ASCII.GetBytes($"GET /agents/{hostile.A}/cgi-bin/env?{marker} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer berth_");
        var tail = Encoding.ASCII.GetBytes("\r\nConnection: close\r\n\r\n");

        var response = await RawHttp.SendAsync(hostile.Server.Server.Address, [.. head, .. junk, .. tail]);

        response.Status.ShouldBeOneOf(400, 401);
        hostile.RequestLog.ShouldNotContain(marker);
    }

    [Fact]
    public async Task AnyRoute_TwoAuthorizationHeadersEvenIfBothValid_Is401()
    {
        var admin = $"Authorization: Bearer {hostile.Server.AdminToken}\r\n";

        var response = await hostile.SendRawAsync(RawHttp.Request("GET", "/api/v1/tokens", admin + admin));

        response.Status.ShouldBe(401, response.ToString());
        response.Body.ShouldContain("more than one Authorization header");
    }

    [Fact]
    public async Task AnyRoute_WellFormedButUnknownToken_Is401()
    {
        using var http = hostile.Server.CreateHttp("berth_" + new string('A', 43));

        using var response = await http.GetAsync("/api/v1/agents", TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
