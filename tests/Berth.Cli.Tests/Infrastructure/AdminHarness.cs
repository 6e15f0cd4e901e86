using Berth.Cli.Tests.EndToEnd;

namespace Berth.Cli.Tests.Infrastructure;

/// <summary>A <see cref="CliHarness"/> pointed at the shared test server, as its admin.</summary>
internal static class AdminHarness
{
    /// <summary>A harness whose commands reach <paramref name="server"/> with the admin token (<c>BERTH_URL</c>, <c>BERTH_TOKEN</c>).</summary>
    public static CliHarness Admin(this ServerFixture server)
    {
        var harness = new CliHarness();
        harness.Environment["BERTH_URL"] = server.Url;
        harness.Environment["BERTH_TOKEN"] = server.AdminToken;
        return harness;
    }
}
