using System.Text.Json;
using Berth.Cli.Tests.Infrastructure;
using Berth.Client.Contracts;
using Berth.Core.Serialization;

namespace Berth.Cli.Tests.EndToEnd;

/// <summary>Login, token sources and the tokens verbs against a real server.</summary>
[Collection(ServerGroup.Name)]
public sealed class AuthCommandTests(ServerFixture server) : IDisposable
{
    private readonly TempDirectory _home = new();

    public void Dispose() => _home.Dispose();

    private string ContextFile => Path.Combine(_home.Path, ".config", "berth", "context.json");

    /// <summary>A harness whose only token source is what the test adds (HOME is an empty temp directory).</summary>
    private CliHarness Harness(string? token = null, bool withUrl = true)
    {
        var harness = new CliHarness { CurrentDirectory = _home.Path };
        harness.Environment["HOME"] = _home.Path;
        if (withUrl)
        {
            harness.Environment["BERTH_URL"] = server.Url;
        }

        if (token is not null)
        {
            harness.Environment["BERTH_TOKEN"] = token;
        }

        return harness;
    }

    [Fact]
    public async Task AnyVerb_NoTokenSource_UnauthorizedSaysHowToProvideOne()
    {
        var result = await Harness().RunAsync("get", "agents");

        result.ExitCode.ShouldBe(ExitCodes.Unauthorized, result.ToString());
        result.Err.ShouldContain("no token was sent");
        result.Err.ShouldContain("--token");
        result.Err.ShouldContain("BERTH_TOKEN");
        result.Err.ShouldContain($"berth login --server {server.Url}");
        result.Err.Trim().Split('\n').Length.ShouldBe(1, "one clear line");
    }

    [Fact]
    public async Task AnyVerb_RejectedToken_SaysWhichSourceAndWhy()
    {
        var result = await Harness().RunAsync("get", "agents", "--token", "berth_nope");

        result.ExitCode.ShouldBe(ExitCodes.Unauthorized, result.ToString());
        result.Err.ShouldContain("the token from --token was rejected");
        result.Err.ShouldContain("malformed");
    }

    [Fact]
    public async Task Login_ValidToken_SavesContextOwnerOnlyAndLaterCommandsUseIt()
    {
        var login = await Harness(withUrl: false).RunAsync("login", "--server", server.Url, "--token", server.AdminToken);

        login.ExitCode.ShouldBe(ExitCodes.Ok, login.ToString());
        File.GetUnixFileMode(ContextFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using (var saved = JsonDocument.Parse(await File.ReadAllTextAsync(ContextFile)))
        {
            saved.RootElement.GetProperty("server").GetString().ShouldBe(server.Url);
            saved.RootElement.GetProperty("token").GetString().ShouldBe(server.AdminToken);
        }

        var get = await Harness(withUrl: false).RunAsync("get", "agents", "-o", "json");
        get.ExitCode.ShouldBe(ExitCodes.Ok, get.ToString());
    }

    [Fact]
    public async Task Login_RejectedToken_SavesNothing()
    {
        var login = await Harness(withUrl: false).RunAsync("login", "--server", server.Url, "--token", "berth_" + new string('A', 43));

        login.ExitCode.ShouldBe(ExitCodes.Unauthorized, login.ToString());
        File.Exists(ContextFile).ShouldBeFalse();
    }

    [Fact]
    public async Task AdminTokenFile_LoopbackServerAndBerthDataDir_IsUsed()
    {
        var harness = Harness();
        harness.Environment["BERTH_DATA_DIR"] = server.DataDirectory;

        var result = await harness.RunAsync("get", "agents");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
    }

    [Fact]
    public async Task Tokens_CreateListRevoke_TokenWorksUntilRevoked()
    {
        var description = $"cli-{Guid.NewGuid():N}"[..16];
        var create = await Harness(server.AdminToken).RunAsync("tokens", "create", "--role", "viewer", "--expires", "30d", "--description", description);
        create.ExitCode.ShouldBe(ExitCodes.Ok, create.ToString());
        var token = create.Out.Trim();
        token.ShouldStartWith("berth_");
        create.Err.ShouldContain("Store it now");

        var list = await Harness(server.AdminToken).RunAsync("tokens", "ls", "-o", "json");
        list.ExitCode.ShouldBe(ExitCodes.Ok, list.ToString());
        list.Out.ShouldNotContain(token);
        var id = JsonSerializer.Deserialize<List<TokenView>>(list.Out, BerthJson.Options)!.Single(t => t.Description == description).Id;
        var table = await Harness(server.AdminToken).RunAsync("tokens", "ls");
        table.Out.ShouldContain(id);

        (await Harness(token).RunAsync("get", "agents")).ExitCode.ShouldBe(ExitCodes.Ok);
        var forbidden = await Harness(token).RunAsync("tokens", "ls");
        forbidden.ExitCode.ShouldBe(ExitCodes.Forbidden, forbidden.ToString());
        forbidden.Err.ShouldContain("role viewer");

        var revoke = await Harness(server.AdminToken).RunAsync("tokens", "revoke", id);
        revoke.ExitCode.ShouldBe(ExitCodes.Ok, revoke.ToString());
        revoke.Out.ShouldContain($"token/{id} revoked");
        var after = await Harness(token).RunAsync("get", "agents");
        after.ExitCode.ShouldBe(ExitCodes.Unauthorized, after.ToString());
        after.Err.ShouldContain("revoked");
    }

    [Fact]
    public async Task TokensCreate_UnknownRole_UsageError()
    {
        var result = await Harness(server.AdminToken).RunAsync("tokens", "create", "--role", "root");

        result.ExitCode.ShouldBe(ExitCodes.Usage, result.ToString());
    }
}
