using Berth.Server.Tests.Support;

namespace Berth.Server.Tests.Audit;

public sealed class AuditSettingsTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("40000")]
    public async Task RetentionDays_OutOfRange_StartFailsNamingTheSetting(string days)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), $"berth-srv-{Guid.NewGuid():N}");
        try
        {
            var failure = await Should.ThrowAsync<BerthServerStartException>(() => TestServer.StartAsync(dataDir: dataDir, extraArgs: [$"--Berth:Audit:RetentionDays={days}"]));

            failure.Message.ShouldContain("Berth:Audit:RetentionDays must be a whole number of days from 1 to 36500");
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
