using Berth.Cli.Tests.EndToEnd;
using Berth.Cli.Tests.Infrastructure;

namespace Berth.Cli.Tests.Auth;

/// <summary>The local admin.token goes only to the server that wrote it, proved on /healthz; tested over real loopback HTTP.</summary>
[Collection(ServerGroup.Name)]
public sealed class AdminTokenProofTests(ServerFixture server) : IDisposable
{
    private readonly TempDirectory _home = new();

    public void Dispose() => _home.Dispose();

    /// <summary>A CLI whose only token source is the real server's admin.token (found through BERTH_DATA_DIR), pointed at <paramref name="url"/>.</summary>
    private CliHarness Harness(string url)
    {
        var harness = new CliHarness { CurrentDirectory = _home.Path };
        harness.Environment["HOME"] = _home.Path;
        harness.Environment["BERTH_DATA_DIR"] = server.DataDirectory;
        harness.Environment["BERTH_URL"] = url;
        return harness;
    }

    [Fact]
    public async Task AnyVerb_StandInOnLoopback_ReceivesNoAuthorizationAndTheCliExplainsWhy()
    {
        await using var standIn = await StandInListener.StartAsync();

        var result = await Harness(standIn.Url).RunAsync("get", "agents");

        result.ExitCode.ShouldBe(ExitCodes.Unauthorized, result.ToString());
        result.Err.ShouldContain("not sending the admin token from");
        result.Err.ShouldContain("did not prove it is the Berth server that wrote");
        result.Err.ShouldContain("--token");
        standIn.Requests.ShouldNotBeEmpty();
        standIn.Requests.ShouldAllBe(r => r.Authorization == null);
    }

    [Fact]
    public async Task AnyVerb_StandInRelayingTheRealServersProof_StillReceivesNoAuthorization()
    {
        // the real server's answer is bound to the port it was asked on, so a relay from another port proves nothing
        await using var standIn = await StandInListener.StartAsync(relayHealthTo: new Uri(server.Url));

        var result = await Harness(standIn.Url).RunAsync("get", "agents");

        result.ExitCode.ShouldBe(ExitCodes.Unauthorized, result.ToString());
        result.Err.ShouldContain("proof does not match");
        standIn.Requests.ShouldAllBe(r => r.Authorization == null);
    }

    [Fact]
    public async Task AnyVerb_TheServerThatWroteTheToken_Works()
    {
        var result = await Harness(server.Url).RunAsync("get", "agents", "-o", "json");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
    }

    [Fact]
    public async Task AnyVerb_ExplicitTokenToAStandIn_IsSentAsTheUserAsked()
    {
        await using var standIn = await StandInListener.StartAsync();

        var result = await Harness(standIn.Url).RunAsync("get", "agents", "--token", "berth_explicit");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        standIn.Requests.ShouldContain(r => r.Authorization == "Bearer berth_explicit");
        standIn.Requests.ShouldNotContain(r => r.Path == "/healthz");
    }
}
