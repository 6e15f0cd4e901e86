using System.Net;
using System.Text;
using Berth.Core.Security;
using Berth.Core.Storage;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Server.Tests.Security;

/// <summary>
/// Every agent instance gets its own token and the server's URL; with them it may call, through the proxy, only the
/// agents its spec names in access.agents, and nothing else. Real server, process runtime, busybox agents.
/// </summary>
public sealed class AgentIdentityTests : IAsyncLifetime
{
    private readonly AgentIdentityAgent _callerWww = new();
    private readonly AgentIdentityAgent _targetsWww = new();
    private readonly string _caller = Unique("a");
    private readonly string _allowed = Unique("b");
    private readonly string _other = Unique("c");
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        // A fixed port, so a restarted server is where the re-adopted agents' BERTH_URL points.
        _server = await TestServer.StartAsync(extraArgs: ["--urls", $"http://127.0.0.1:{FreePort()}"]);
        foreach (var spec in new[] { _targetsWww.Spec(_allowed), _targetsWww.Spec(_other), _callerWww.Spec(_caller, _allowed) })
        {
            using var response = await _server.ApplyAsync(spec);
            response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
        }

        foreach (var name in new[] { _caller, _allowed, _other })
        {
            await _server.WaitRunningAsync(name);
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            await _server.DisposeAsync();
        }
        finally
        {
            _callerWww.Dispose();
            _targetsWww.Dispose();
        }
    }

    [Fact]
    public async Task Launch_ProcessAgent_GetsItsOwnAgentTokenAndTheLoopbackUrl()
    {
        var identity = await WhoAmIAsync(_caller);

        identity.Url.ShouldBe(_server.Server.Address.ToString().TrimEnd('/'));
        new Uri(identity.Url).Host.ShouldBe("127.0.0.1");
        var record = await TokenOfAsync(identity.Token);
        record.Role.ShouldBe(BerthRoles.Agent);
        record.AgentName.ShouldBe(_caller);
        record.InstanceId.ShouldBe(identity.Instance);
        record.ExpiresAt.ShouldBeNull();
        (await WhoAmIAsync(_allowed)).Token.ShouldNotBe(identity.Token);
    }

    [Fact]
    public async Task Proxy_AgentToken_ReachesNamedAgentOnly()
    {
        using var http = _server.CreateHttp((await WhoAmIAsync(_caller)).Token);

        using var allowed = await http.GetAsync($"/agents/{_allowed}/cgi-bin/echo", TestTimeouts.Token());
        using var other = await http.GetAsync($"/agents/{_other}/cgi-bin/echo", TestTimeouts.Token());
        using var unknown = await http.GetAsync($"/agents/{Unique("nobody")}/cgi-bin/echo", TestTimeouts.Token());

        allowed.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await allowed.Content.ReadAsStringAsync(TestTimeouts.Token())).ShouldStartWith("GET /cgi-bin/echo");
        other.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await other.Content.ReadAsStringAsync(TestTimeouts.Token())).ShouldContain(BearerTokenHandlerForbiddenType);
        unknown.StatusCode.ShouldBe(HttpStatusCode.Forbidden, "an agent must not learn which agents exist");
    }

    [Theory]
    [InlineData("GET", "/api/v1/agents")]
    [InlineData("GET", "/api/v1/agents/{caller}")]
    [InlineData("DELETE", "/api/v1/agents/{other}")]
    [InlineData("POST", "/api/v1/agents/{caller}/restart")]
    [InlineData("GET", "/api/v1/tokens")]
    [InlineData("GET", "/api/v1/secrets")]
    [InlineData("GET", "/readyz")]
    [InlineData("GET", "/openapi/v1.json")]
    public async Task Api_AgentToken_IsForbidden(string method, string path)
    {
        using var http = _server.CreateHttp((await WhoAmIAsync(_caller)).Token);
        using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{caller}", _caller, StringComparison.Ordinal).Replace("{other}", _other, StringComparison.Ordinal));

        using var response = await http.SendAsync(request, TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await _server.GetAsync(_other)).Name.ShouldBe(_other);
    }

    [Fact]
    public async Task Callback_FromInsideTheAgent_ItsTokenAndUrlReachOnlyWhatItNames()
    {
        var allowed = await CallFromCallerAsync($"agents/{_allowed}/cgi-bin/echo");
        var other = await CallFromCallerAsync($"agents/{_other}/cgi-bin/echo");
        var api = await CallFromCallerAsync("api/v1/agents");

        allowed.ShouldStartWith("GET /cgi-bin/echo");
        allowed.ShouldEndWith("exit=0\n");
        other.ShouldContain("403");
        other.ShouldEndWith("exit=1\n");
        api.ShouldContain("403");
    }

    [Fact]
    public async Task Remove_Agent_ItsTokenIsRejectedAtOnce()
    {
        var identity = await WhoAmIAsync(_caller);
        using var http = _server.CreateHttp(identity.Token);
        using (var before = await http.GetAsync($"/agents/{_allowed}/cgi-bin/echo", TestTimeouts.Token()))
        {
            before.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using var removed = await _server.Http.DeleteAsync($"/api/v1/agents/{_caller}?wait=0s", TestTimeouts.Token());
        using var after = await http.GetAsync($"/agents/{_allowed}/cgi-bin/echo", TestTimeouts.Token());

        removed.IsSuccessStatusCode.ShouldBeTrue();
        after.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await FindTokenAsync(identity.Token)).ShouldBeNull("an agent token is deleted with its agent");
    }

    [Fact]
    public async Task Crash_InstanceRestartedInPlace_GetsNewTokenAndTheOldOneStopsWorking()
    {
        var before = await WhoAmIAsync(_caller);

        foreach (var pid in Processes.WithCommandLineContaining(_callerWww.Root))
        {
            System.Diagnostics.Process.GetProcessById(pid).Kill();
        }

        var after = await WaitForAsync(async () => await TryWhoAmIAsync(_caller) is { } now && now.Token != before.Token ? now : null, "a new token for the restarted instance");
        after.Instance.ShouldBe(before.Instance);
        using var oldHttp = _server.CreateHttp(before.Token);
        using var newHttp = _server.CreateHttp(after.Token);
        using var old = await oldHttp.GetAsync($"/agents/{_allowed}/cgi-bin/echo", TestTimeouts.Token());
        using var fresh = await newHttp.GetAsync($"/agents/{_allowed}/cgi-bin/echo", TestTimeouts.Token());
        old.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        fresh.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Restart_Agent_NewInstanceGetsNewTokenAndTheRetiredOneIsRevoked()
    {
        var before = await WhoAmIAsync(_caller);

        using var restart = await _server.Http.PostAsync($"/api/v1/agents/{_caller}/restart", null, TestTimeouts.Token());
        restart.IsSuccessStatusCode.ShouldBeTrue();
        var after = await WaitForAsync(async () => await TryWhoAmIAsync(_caller) is { } now && now.Instance != before.Instance ? now : null, "a new instance");
        await WaitForAsync(async () => await FindTokenAsync(before.Token) is null ? "deleted" : null, "the retired instance's token deleted");

        using var oldHttp = _server.CreateHttp(before.Token);
        using var old = await oldHttp.GetAsync($"/agents/{_allowed}/cgi-bin/echo", TestTimeouts.Token());
        old.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        after.Token.ShouldNotBe(before.Token);
    }

    [Fact]
    public async Task ServerRestart_ReadoptedInstance_KeepsWorkingWithItsToken()
    {
        var before = await WhoAmIAsync(_caller);

        await _server.RestartAsync();
        await _server.WaitRunningAsync(_caller);

        (await WhoAmIAsync(_caller)).ShouldBe(before);
        (await CallFromCallerAsync($"agents/{_allowed}/cgi-bin/echo")).ShouldStartWith("GET /cgi-bin/echo");
    }

    [Fact]
    [SqliteOnly]
    public async Task Token_IsStoredOnlyAsItsHash_NeverInTheDataDirectory()
    {
        var identity = await WhoAmIAsync(_caller);
        var record = await TokenOfAsync(identity.Token);

        var everything = new StringBuilder();
        // the server's lock is always empty and cannot be opened while the server holds it
        foreach (var file in Directory.EnumerateFiles(_server.DataDir, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != Core.Storage.DataDirectoryLock.FileName))
        {
            everything.Append(Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file, TestTimeouts.Token())));
        }

        var text = everything.ToString();
        text.ShouldContain(record.Hash, customMessage: "the scan must see the token store");
        text.ShouldContain("$(PORT)", customMessage: "the scan must see the process driver's instance.json");
        text.ShouldNotContain(identity.Token);
    }

    private const string BearerTokenHandlerForbiddenType = "urn:berth:problem:forbidden";

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Unique(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..12];

    private async Task<string> CallFromCallerAsync(string path)
    {
        using var response = await _server.Http.GetAsync($"/agents/{_caller}/cgi-bin/call?{path}", TestTimeouts.Token());
        var body = await response.Content.ReadAsStringAsync(TestTimeouts.Token());
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return body;
    }

    private async Task<Identity> WhoAmIAsync(string agent) =>
        await TryWhoAmIAsync(agent) ?? throw new InvalidOperationException($"agent {agent} did not answer /cgi-bin/whoami");

    private async Task<Identity?> TryWhoAmIAsync(string agent)
    {
        using var response = await _server.Http.GetAsync($"/agents/{agent}/cgi-bin/whoami", TestTimeouts.Token());
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return null;
        }

        var parts = (await response.Content.ReadAsStringAsync(TestTimeouts.Token())).Trim().Split(' ');
        return parts is [var token, var url, var instance] && token.StartsWith("berth_", StringComparison.Ordinal) ? new Identity(token, url, instance) : null;
    }

    private async Task<TokenRecord> TokenOfAsync(string token) =>
        (await FindTokenAsync(token)).ShouldNotBeNull("the token store should know the agent's token");

    private async Task<TokenRecord?> FindTokenAsync(string token)
    {
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        return await _server.Server.Services.GetRequiredService<ITokenStore>().FindByHashAsync(hash, TestTimeouts.Token());
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, string what)
        where T : class =>
        (await Eventually.MatchAsync(_ => probe(), found => found is not null, what))!;

    private sealed record Identity(string Token, string Url, string Instance);
}
