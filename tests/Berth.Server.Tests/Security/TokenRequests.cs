using System.Net;
using System.Net.Http.Json;
using Berth.Client.Contracts;
using Berth.Core.Serialization;
using Berth.Server.Tests.Support;
using Berth.Testing;

namespace Berth.Server.Tests.Security;

/// <summary>Creates and revokes tokens through the real API with the server's admin token.</summary>
internal static class TokenRequests
{
    public static async Task<CreatedToken> CreateAsync(TestServer server, string role, string? expires = null, string? description = null)
    {
        using var response = await server.Http.PostAsJsonAsync(
            "/api/v1/tokens", new CreateTokenRequest { Role = role, Expires = expires, Description = description }, BerthJson.Options, TestTimeouts.Token());
        var body = await response.Content.ReadAsStringAsync(TestTimeouts.Token());
        response.StatusCode.ShouldBe(HttpStatusCode.Created, body);
        return (await response.Content.ReadFromJsonAsync<CreatedToken>(BerthJson.Options, TestTimeouts.Token()))!;
    }

    public static async Task RevokeAsync(TestServer server, string id)
    {
        using var response = await server.Http.DeleteAsync($"/api/v1/tokens/{id}", TestTimeouts.Token());
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    /// <summary>Polls GET /api/v1/agents with <paramref name="token"/> until it answers 401 (an expiry has passed).</summary>
    public static async Task WaitUntilRejectedAsync(TestServer server, string token)
    {
        using var http = server.CreateHttp(token);
        await Eventually.MatchAsync(
            async ct =>
            {
                using var response = await http.GetAsync("/api/v1/agents", ct);
                return response.StatusCode;
            },
            status => status == HttpStatusCode.Unauthorized,
            "the token to be rejected",
            TestTimeouts.Quick);
    }
}
