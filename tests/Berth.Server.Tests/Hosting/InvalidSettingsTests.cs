using Berth.Server.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Berth.Server.Tests.Hosting;

public sealed class InvalidSettingsTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), $"berth-bad-{Guid.NewGuid():N}");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    [Theory]
    [InlineData("Berth:Docker:StopGrace", "soon", "Berth:Docker:StopGrace must be a duration like 30s; got 'soon'")]
    [InlineData("Berth:Process:StopGrace", "10", "Berth:Process:StopGrace must be a duration like 30s; got '10'")]
    [InlineData("Berth:Reconciler:Interval", "fast", "Berth:Reconciler:Interval must be a duration like 30s")]
    [InlineData("Berth:Requests:MaxWait", "5 minutes", "Berth:Requests:MaxWait must be a duration like 30s")]
    [InlineData("Berth:Workflows:CircuitBreaker:Window", "1", "Berth:Workflows:CircuitBreaker:Window must be a duration like 30s")]
    [InlineData("Berth:Reconciler:StopGrace", "-00:00:01", "Berth:Reconciler:StopGrace must not be negative")]
    [InlineData("Berth:Workflows:CircuitBreaker:BreakDuration", "100ms", "Berth:Workflows:CircuitBreaker:BreakDuration must be from 500ms to 1d")]
    [InlineData("Berth:Workflows:CircuitBreaker:Failures", "1", "Berth:Workflows:CircuitBreaker:Failures must be at least 2")]
    [InlineData("Berth:Docker:NetworkPrefix", "", "Berth:Docker:NetworkPrefix must not be empty")]
    [InlineData("Berth:Process:LogMaxFiles", "0", "Berth:Process:LogMaxFiles must be at least 1")]
    [InlineData("Berth:Process:Isolation", "7", "Berth:Process:Isolation must be auto, user, bubblewrap or none")]
    [InlineData("Berth:Limits:MaxRequestBodyBytes", "0", "Berth:Limits:MaxRequestBodyBytes must be a positive number of bytes")]
    [InlineData("Berth:Process:LogMaxFiles", "many", "'many' at 'Berth:Process:LogMaxFiles'")]
    [InlineData("Berth:Runtime", "kubernetes", "'kubernetes' at 'Berth:Runtime'")]
    [InlineData("Berth:Plugins:InvocationRetentionDays", "0", "Berth:Plugins:InvocationRetentionDays must be a whole number of days from 1 to 36500; got 0")]
    public async Task StartAsync_BadValue_StopsNamingTheKey(string key, string value, string message)
    {
        var failure = await Should.ThrowAsync<BerthServerStartException>(() => StartAsync($"--{key}={value}"));

        failure.Message.ShouldContain(message);
    }

    [Fact]
    public async Task StartAsync_BadValuesInTwoSections_NamesBothKeys()
    {
        var failure = await Should.ThrowAsync<BerthServerStartException>(() => StartAsync("--Berth:Audit:RetentionDays=0", "--Berth:RateLimit:Burst=0"));

        failure.Message.ShouldContain("Berth:Audit:RetentionDays must be a whole number of days");
        failure.Message.ShouldContain("Berth:RateLimit:Burst must be a positive whole number");
    }

    // auto: the docker driver's settings are bound and checked too; the socket leads nowhere, so no engine is needed.
    private Task<TestServer> StartAsync(params string[] settings) =>
        TestServer.StartAsync("auto", _dataDir, ["--Berth:Docker:Socket=/tmp/berth-no-engine.sock", .. settings]);
}
