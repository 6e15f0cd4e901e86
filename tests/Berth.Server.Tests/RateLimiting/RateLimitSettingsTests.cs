using System.Net;
using Berth.Server.Tests.Support;
using Berth.Testing;

namespace Berth.Server.Tests.RateLimiting;

public sealed class RateLimitSettingsTests
{
    [Fact]
    public async Task Disabled_NoLimit()
    {
        await using var server = await TestServer.StartAsync(extraArgs: ["--Berth:RateLimit:Enabled=false", "--Berth:RateLimit:RequestsPerSecond=0", "--Berth:RateLimit:Burst=1"]);

        var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => server.Http.GetAsync("/api/v1/agents", TestTimeouts.Token())));

        answers.Select(r => r.StatusCode).ShouldAllBe(s => s == HttpStatusCode.OK);
        answers.ToList().ForEach(r => r.Dispose());
    }

    [Theory]
    [InlineData("RequestsPerSecond", "-1")]
    [InlineData("Burst", "-1")]
    [InlineData("RequestsPerSecond", "0")]
    [InlineData("Burst", "0")]
    [InlineData("BytesPerSecond", "0")]
    [InlineData("BytesBurst", "0")]
    public async Task ZeroOrNegative_StartFailsNamingTheSettingAndHowToTurnLimitsOff(string key, string value)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), $"berth-srv-{Guid.NewGuid():N}");
        try
        {
            var failure = await Should.ThrowAsync<BerthServerStartException>(() => TestServer.StartAsync(dataDir: dataDir, extraArgs: [$"--Berth:RateLimit:{key}={value}"]));

            failure.Message.ShouldContain($"Berth:RateLimit:{key} must be a positive whole number");
            failure.Message.ShouldContain("Berth:RateLimit:Enabled=false");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(dataDir))
            {
                Directory.Delete(dataDir, recursive: true);
            }
        }
    }
}
