using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Berth.Client.Contracts;
using Berth.Core.Serialization;
using Berth.Server.Tests.Support;
using Berth.Testing;

namespace Berth.Server.Tests.Security;

public sealed class TokensApiTests(SharedServerFixture shared) : IClassFixture<SharedServerFixture>
{
    private readonly TestServer _server = shared.Server;

    private async Task<HttpResponseMessage> GetAgentsAsync(string token)
    {
        using var http = _server.CreateHttp(token);
        return await http.GetAsync("/api/v1/agents", TestTimeouts.Token());
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(TestTimeouts.Token());

    [Fact]
    public async Task Create_Viewer_ReturnsTokenOnceAndListingNeverShowsIt()
    {
        var created = await TokenRequests.CreateAsync(_server, "viewer", expires: "30d", description: "dashboard");

        created.Token.ShouldStartWith("berth_");
        created.Record.Role.ShouldBe("viewer");
        created.Record.Status.ShouldBe("active");
        created.Record.ExpiresAt!.Value.ShouldBe(created.Record.CreatedAt.AddDays(30));
        using var listed = await _server.Http.GetAsync("/api/v1/tokens", TestTimeouts.Token());
        var text = await listed.Content.ReadAsStringAsync(TestTimeouts.Token());
        listed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var tokens = JsonSerializer.Deserialize<List<TokenView>>(text, BerthJson.Options)!;
        tokens.ShouldContain(t => t.Id == created.Record.Id && t.Description == "dashboard");
        tokens.Count(t => t.Role == "admin").ShouldBe(1, "the bootstrap admin token");
        text.ShouldNotContain(created.Token);
        text.ShouldNotContain(_server.AdminToken);
        text.ShouldNotContain("hash", Case.Insensitive);
        (await GetAgentsAsync(created.Token)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Revoke_UsedToken_StopsWorkingAtOnce()
    {
        var created = await TokenRequests.CreateAsync(_server, "operator");
        (await GetAgentsAsync(created.Token)).StatusCode.ShouldBe(HttpStatusCode.OK);

        await TokenRequests.RevokeAsync(_server, created.Record.Id);

        using var rejected = await GetAgentsAsync(created.Token);
        rejected.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        rejected.Headers.WwwAuthenticate.ToString().ShouldContain("invalid_token");
        var problem = await ProblemAsync(rejected);
        problem.GetProperty("type").GetString().ShouldBe("urn:berth:problem:unauthorized");
        problem.GetProperty("detail").GetString()!.ShouldContain("revoked");
    }

    [Fact]
    public async Task Revoke_TwiceAndUnknown_OkThenOkAndNotFound()
    {
        var created = await TokenRequests.CreateAsync(_server, "viewer");

        using var first = await _server.Http.DeleteAsync($"/api/v1/tokens/{created.Record.Id}", TestTimeouts.Token());
        using var second = await _server.Http.DeleteAsync($"/api/v1/tokens/{created.Record.Id}", TestTimeouts.Token());
        using var unknown = await _server.Http.DeleteAsync("/api/v1/tokens/000000000000", TestTimeouts.Token());

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await second.Content.ReadFromJsonAsync<TokenView>(BerthJson.Options, TestTimeouts.Token()))!.Status.ShouldBe("revoked");
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ShortExpiry_AfterItPasses_RejectedAsExpired()
    {
        var created = await TokenRequests.CreateAsync(_server, "viewer", expires: "1s");

        await TokenRequests.WaitUntilRejectedAsync(_server, created.Token);

        using var rejected = await GetAgentsAsync(created.Token);
        (await ProblemAsync(rejected)).GetProperty("detail").GetString()!.ShouldContain("expired");
        var listed = await _server.Http.GetFromJsonAsync<List<TokenView>>("/api/v1/tokens", BerthJson.Options, TestTimeouts.Token());
        listed!.Single(t => t.Id == created.Record.Id).Status.ShouldBe("expired");
    }

    [Theory]
    [InlineData("{\"role\":\"root\"}", "viewer, operator, admin")]
    [InlineData("{\"role\":\"agent\"}", "viewer, operator, admin")]
    [InlineData("{\"role\":\"viewer\",\"expires\":\"0s\"}", "greater than 0")]
    [InlineData("{\"role\":\"viewer\",\"expires\":\"3651d\"}", "10 years")]
    [InlineData("{\"role\":\"viewer\",\"expires\":\"soon\"}", "'soon'")]
    [InlineData("{\"expires\":\"1d\"}", "role")]
    [InlineData("not json", "JSON")]
    public async Task Create_InvalidRequest_400ProblemSaysWhy(string body, string expected)
    {
        using var response = await _server.Http.PostAsync("/api/v1/tokens", new StringContent(body, Encoding.UTF8, "application/json"), TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ProblemAsync(response)).GetProperty("detail").GetString()!.ShouldContain(expected);
    }

    [Fact]
    public async Task NoToken_Agents_401ProblemWithChallenge()
    {
        using var http = _server.CreateHttp(null);

        using var response = await http.GetAsync("/api/v1/agents", TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        response.Headers.WwwAuthenticate.ToString().ShouldStartWith("Bearer");
        (await ProblemAsync(response)).GetProperty("type").GetString().ShouldBe("urn:berth:problem:unauthorized");
    }

    [Fact]
    public async Task Viewer_CreateToken_403Problem()
    {
        var viewer = await TokenRequests.CreateAsync(_server, "viewer");
        using var http = _server.CreateHttp(viewer.Token);

        using var response = await http.PostAsJsonAsync("/api/v1/tokens", new CreateTokenRequest { Role = "admin" }, BerthJson.Options, TestTimeouts.Token());

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var problem = await ProblemAsync(response);
        problem.GetProperty("type").GetString().ShouldBe("urn:berth:problem:forbidden");
        problem.GetProperty("detail").GetString()!.ShouldContain("role viewer");
    }

    [Fact]
    [SqliteOnly]
    public async Task Database_AfterCreatingTokens_HoldsHashesNeverTokens()
    {
        var created = await TokenRequests.CreateAsync(_server, "operator");
        (await GetAgentsAsync(created.Token)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The running server's database and its write-ahead log, where recent writes live until a checkpoint.
        var bytes = Directory.GetFiles(_server.DataDir, "berth.db*").Select(File.ReadAllBytes).ToList();

        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(created.Token)));
        bytes.ShouldContain(b => Contains(b, hash), "the hash is stored, which shows the search can find what is there");
        bytes.ShouldNotContain(b => Contains(b, created.Token));
        bytes.ShouldNotContain(b => Contains(b, _server.AdminToken));
    }

    private static bool Contains(byte[] haystack, string needle) =>
        haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0;
}
