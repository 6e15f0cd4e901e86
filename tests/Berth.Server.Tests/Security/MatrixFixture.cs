using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Berth.Core.Security;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Server.Tests.Support;
using Berth.Testing;
using Microsoft.Extensions.DependencyInjection;

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
        Server = await TestServer.StartAsync();
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
        Credentials["agent"] = new("Bearer", await CreateAgentTokenAsync("caller", mayCall: "nobody"));
        Credentials["agent naming none"] = new("Bearer", await CreateAgentTokenAsync("stranger", mayCall: null));
        await TokenRequests.WaitUntilRejectedAsync(Server, expired.Token);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    // The server issues agent tokens to the instances it starts; a stopped agent (replicas 0) gets its token written
    // to the store directly, so the matrix has an agent principal whose spec names the proxy's target ("nobody").
    private async Task<string> CreateAgentTokenAsync(string agent, string? mayCall)
    {
        var spec = new AgentSpec
        {
            Name = agent,
            Process = new ProcessSpec { Command = "/bin/true" },
            Replicas = 0,
            Access = mayCall is null ? null : new AccessSpec { Agents = [mayCall] },
        };
        using (var applied = await Server.ApplyAsync(spec))
        {
            applied.IsSuccessStatusCode.ShouldBeTrue();
        }

        var token = "berth_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        await Server.Server.Services.GetRequiredService<ITokenStore>().CreateAsync(
            new TokenRecord
            {
                Id = RandomNumberGenerator.GetHexString(12, lowercase: true),
                Role = BerthRoles.Agent,
                Hash = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token))),
                AgentName = agent,
                InstanceId = $"{agent}-0",
                CreatedAt = DateTimeOffset.UtcNow,
            },
            TestTimeouts.Token());
        return token;
    }
}
