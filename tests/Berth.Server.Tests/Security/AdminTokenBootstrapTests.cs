using System.Net;
using Berth.Server.Tests.Support;
using Berth.Testing;

namespace Berth.Server.Tests.Security;

public sealed class AdminTokenBootstrapTests : IAsyncLifetime
{
    private TestServer _server = null!;

    private string TokenFile => Path.Combine(_server.DataDir, "admin.token");

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<HttpStatusCode> ListAgentsStatusAsync(string token)
    {
        using var http = _server.CreateHttp(token);
        using var response = await http.GetAsync("/api/v1/agents", TestTimeouts.Token());
        return response.StatusCode;
    }

    [Fact]
    public async Task FirstStart_WritesAdminTokenOwnerOnly_AndItWorks()
    {
        File.GetUnixFileMode(TokenFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _server.AdminToken.ShouldStartWith("berth_");
        _server.AdminToken.Length.ShouldBe(49);
        Directory.GetFiles(_server.DataDir, "admin.token*").ShouldBe([TokenFile], "no temporary file is left behind");

        (await ListAgentsStatusAsync(_server.AdminToken)).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Restart_ExistingAdminToken_KeptAndStillWorks()
    {
        var before = _server.AdminToken;

        await _server.RestartAsync();

        _server.AdminToken.ShouldBe(before);
        (await ListAgentsStatusAsync(before)).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Restart_FileHoldsRevokedToken_LeftAloneUntilDeleted()
    {
        var revoked = await TokenRequests.CreateAsync(_server, "admin");
        await TokenRequests.RevokeAsync(_server, revoked.Record.Id);
        await File.WriteAllTextAsync(TokenFile, revoked.Token + "\n", TestTimeouts.Token());
        File.SetUnixFileMode(TokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        await _server.RestartAsync();

        _server.AdminToken.ShouldBe(revoked.Token, "an existing admin.token is never overwritten");
        File.GetUnixFileMode(TokenFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite, "a file readable by others is tightened");
        (await ListAgentsStatusAsync(revoked.Token)).ShouldBe(HttpStatusCode.Unauthorized);

        File.Delete(TokenFile);
        await _server.RestartAsync();

        (await ListAgentsStatusAsync(_server.AdminToken)).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Restart_FileDeleted_WritesANewWorkingAdminToken()
    {
        var before = _server.AdminToken;
        File.Delete(TokenFile);

        await _server.RestartAsync();

        _server.AdminToken.ShouldNotBe(before);
        (await ListAgentsStatusAsync(_server.AdminToken)).ShouldBe(HttpStatusCode.OK);
        File.GetUnixFileMode(TokenFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
