using System.Net;
using System.Text.Json;
using Berth.Server.Tests.Security;
using Berth.Server.Tests.Support;
using Berth.Testing;

namespace Berth.Server.Tests.RateLimiting;

public sealed class RateLimitTests : IAsyncLifetime
{
    private TestServer _server = null!;

    // Many times the budget, so a burst arriving slowly on a busy machine is still limited.
    private const int BurstSize = 40;

    // A small budget: 5 requests at once, then 5 per second.
    public async Task InitializeAsync() =>
        _server = await TestServer.StartAsync(extraArgs: ["--Berth:RateLimit:RequestsPerSecond=5", "--Berth:RateLimit:Burst=5"]);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static async Task<List<HttpResponseMessage>> BurstAsync(HttpClient http, string path, int count) =>
        [.. await Task.WhenAll(Enumerable.Range(0, count).Select(_ => http.GetAsync(path, TestTimeouts.Token())))];

    [Fact]
    public async Task Burst_OverTheBudget_429WithRetryAfter_WhileAnotherTokenIsServed()
    {
        using var a = _server.CreateHttp((await TokenRequests.CreateAsync(_server, "viewer")).Token);
        using var b = _server.CreateHttp((await TokenRequests.CreateAsync(_server, "viewer")).Token);

        var burstA = BurstAsync(a, "/api/v1/agents", BurstSize);
        var burstB = BurstAsync(b, "/api/v1/agents", 4);
        var answersA = await burstA;
        var answersB = await burstB;

        try
        {
            answersB.Select(r => r.StatusCode).ShouldAllBe(s => s == HttpStatusCode.OK, "token B has its own budget");
            // How many of A's refilled while the burst arrived depends on how fast it arrived: that is for bench/, not a test.
            var served = answersA.Count(r => r.StatusCode == HttpStatusCode.OK);
            served.ShouldBeGreaterThanOrEqualTo(5, "the bucket starts full: a burst of 5 is always served");
            var limited = answersA.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
            limited.ShouldNotBeEmpty($"{BurstSize} requests at once are more than a burst of 5 and what refills at 5/s while they arrive");
            limited.Count.ShouldBe(BurstSize - served, "every answer is either served or limited");
            foreach (var response in limited)
            {
                response.Headers.RetryAfter!.Delta!.Value.ShouldBeInRange(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
                response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            }

            using var problem = JsonDocument.Parse(await limited[0].Content.ReadAsStringAsync(TestTimeouts.Token()));
            problem.RootElement.GetProperty("type").GetString().ShouldBe("urn:berth:problem:rate-limited");
            var detail = problem.RootElement.GetProperty("detail").GetString()!;
            detail.ShouldContain("5 requests per second");
            detail.ShouldContain("Berth:RateLimit:RequestsPerSecond");
        }
        finally
        {
            answersA.Concat(answersB).ToList().ForEach(r => r.Dispose());
        }
    }

    [Fact]
    public async Task Budget_AfterWaiting_Refills()
    {
        using var a = _server.CreateHttp((await TokenRequests.CreateAsync(_server, "viewer")).Token);
        var first = await BurstAsync(a, "/api/v1/agents", 12);
        var retryAfter = first.First(r => r.StatusCode == HttpStatusCode.TooManyRequests).Headers.RetryAfter!.Delta!.Value;
        first.ForEach(r => r.Dispose());

        // The limiter refills on real time (there is no clock to move); asking until it answers is the event. Refused asks take
        // nothing from the bucket, so asking does not delay the refill.
        var again = await Eventually.MatchAsync(
            async ct =>
            {
                using var response = await a.GetAsync("/api/v1/agents", ct);
                return response.StatusCode;
            },
            status => status != HttpStatusCode.TooManyRequests,
            $"the budget to refill (Retry-After said {retryAfter.TotalSeconds}s)");
        again.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task NoToken_Burst_LimitedBySourceAddress_HealthzNever()
    {
        using var anonymous = _server.CreateHttp(null);

        var answers = await BurstAsync(anonymous, "/api/v1/agents", 20);
        var health = await BurstAsync(anonymous, "/healthz", 30);

        answers.Select(r => r.StatusCode).Distinct().Order().ShouldBe([HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests]);
        health.Select(r => r.StatusCode).ShouldAllBe(s => s == HttpStatusCode.OK, "/healthz is exempt");
        answers.Concat(health).ToList().ForEach(r => r.Dispose());
    }
}
