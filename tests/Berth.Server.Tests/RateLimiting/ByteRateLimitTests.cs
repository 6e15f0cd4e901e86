using System.Net;
using System.Text.Json;
using Berth.Server.Tests.Requests.Support;
using Berth.Server.Tests.Security;
using Berth.Server.Tests.Support;
using Berth.Testing;

namespace Berth.Server.Tests.RateLimiting;

public sealed class ByteRateLimitTests : IAsyncLifetime
{
    private TestServer _server = null!;

    // Plenty of requests, few bytes: 4 KiB at once, then 1 KiB per second.
    public async Task InitializeAsync() =>
        _server = await TestServer.StartAsync(extraArgs: ["--Berth:RateLimit:BytesPerSecond=1024", "--Berth:RateLimit:BytesBurst=4096"]);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Bodies_OverTheByteBudget_429NamingTheByteSettings_WhileAnotherTokenIsServed(bool withLength)
    {
        using var a = _server.CreateHttp((await TokenRequests.CreateAsync(_server, "admin")).Token);
        using var b = _server.CreateHttp((await TokenRequests.CreateAsync(_server, "admin")).Token);

        using var first = await PostAsync(a, 3000, withLength);
        using var second = await PostAsync(a, 3000, withLength);
        using var other = await PostAsync(b, 3000, withLength);

        first.StatusCode.ShouldBe(HttpStatusCode.Created, "within the budget");
        second.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests, "3000 + 3000 bytes is over a 4096-byte burst");
        second.Headers.RetryAfter!.Delta!.Value.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1));
        using var problem = JsonDocument.Parse(await second.Content.ReadAsStringAsync(TestTimeouts.Token()));
        problem.RootElement.GetProperty("type").GetString().ShouldBe("urn:berth:problem:rate-limited");
        problem.RootElement.GetProperty("detail").GetString()!.ShouldContain("Berth:RateLimit:BytesPerSecond");
        other.StatusCode.ShouldBe(HttpStatusCode.Created, "token B has its own byte budget");
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, int bytes, bool withLength)
    {
        var body = Enumerable.Repeat((byte)'x', bytes).ToArray();
        HttpContent content = withLength ? new ByteArrayContent(body) : new StreamContent(new UnseekableStream(body));
        content.Headers.ContentType = new("text/plain");
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/secrets/{$"s{Guid.NewGuid():N}"[..12]}") { Content = content };
        return await http.SendAsync(request, TestTimeouts.Token());
    }
}
