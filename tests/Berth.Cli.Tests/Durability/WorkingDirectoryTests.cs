using Berth.Cli.Tests.Infrastructure;
using Berth.Testing;

namespace Berth.Cli.Tests.Durability;

public sealed class WorkingDirectoryTests
{
    [Fact]
    public async Task Server_StartedWhereAnAppsettingsFileBreaksItsSettings_IgnoresThatFile()
    {
        using var cwd = new TempDirectory();
        using var data = new TempDirectory();
        cwd.Write("appsettings.json", """{ "Berth": { "Reconciler": { "Interval": "-00:00:01" } } }""");

        using var server = await BerthServerProcess.StartAsync(data.Path, "process", TestTimeouts.Token(), cwd.Path);

        server.IsRunning.ShouldBeTrue(server.Output);
    }
}
