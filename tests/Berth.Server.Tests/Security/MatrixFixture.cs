using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Berth.Server.Tests.Support;
using Berth.Testing;

namespace Berth.Server.Tests.Security;

/// <summary>One server and one credential of every kind the authorization matrix sends.</summary>
public sealed class MatrixFixture : IAsyncLifetime
{
    internal TestServer Server { get; private set; } = null!;

    /// <summary>Principal name → Authorization header to send (null: none).</summary>
    internal Dictionary<string, AuthenticationHeaderValue?> Credentials { get; } = new(StringComparer.Ordinal);

    /// <summary>A token that exists only so DELETE /api/v1/tokens/{id} has a real id to revoke.</summary>
    internal string SpareTokenId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        // Every route is sent by six callers without a valid token, who share their address's budget; the matrix is about
        // who may call what (rate limits have tests of their own), so that budget must not run out as routes are added.
        Server = await TestServer.StartAsync(extraArgs: ["--Berth:RateLimit:RequestsPerSecond=100000", "--Berth:RateLimit:Burst=100000"]);
        var expired = await TokenRequests.CreateAsync(Server, "viewer", expires: "1s");
        var revoked = await TokenRequests.CreateAsync(Server, "admin");
        await TokenRequests.RevokeAsync(Server, revoked.Record.Id);
        SpareTokenId = (await TokenRequests.CreateAsync(Server, "viewer", description: "spare")).Record.Id;

        Credentials["no token"] = null;
        Credentials["malformed"] = new("Bearer", "not-a-berth-token");
        Credentials["basic scheme"] = new("Basic", "YWRtaW46YWRtaW4=");
        Credentials["unknown"] = new("Bearer", "berth_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)));
        Credentials["expired"] = new("Bearer", expired.Token);
        Credentials["revoked"] = new("Bearer", revoked.Token);
        Credentials["viewer"] = new("Bearer", (await TokenRequests.CreateAsync(Server, "viewer")).Token);
        Credentials["operator"] = new("Bearer", (await TokenRequests.CreateAsync(Server, "operator")).Token);
        Credentials["admin"] = new("Bearer", Server.AdminToken);
        Credentials["metrics"] = new("Bearer", (await TokenRequests.CreateAsync(Server, "metrics")).Token);
        Credentials["agent"] = new("Bearer", await CreateAgentTokenAsync("caller", mayCall: "nobody"));
        Credentials["agent naming none"] = new("Bearer", await CreateAgentTokenAsync("stranger", mayCall: null));
        await TokenRequests.WaitUntilRejectedAsync(Server, expired.Token);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    // The agent that names the proxy's target names the capability route's too ("x", as the matrix fills {capability}), and
    // may publish to the topic of the same name ({name} is "nobody" too), and may use the model endpoint "x" ({endpoint}).
    private Task<string> CreateAgentTokenAsync(string agent, string? mayCall) =>
        AgentTokens.CreateAsync(Server, agent, mayCall, mayCall is null ? null : ["x"], mayPublish: mayCall is null ? null : [mayCall], mayUseModels: mayCall is null ? null : ["x"]);
}
