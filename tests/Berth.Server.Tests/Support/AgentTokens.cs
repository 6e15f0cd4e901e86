using System.Buffers.Text;
using System.Security.Cryptography;
using Berth.Core.Security;
using Berth.Core.Specs;
using Berth.Core.Storage;
using Berth.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Server.Tests.Support;

/// <summary>
/// Agent principals for tests. The server issues agent tokens to the instances it starts; a stopped agent (replicas 0) gets
/// its token written to the store directly, so a test can act as an agent whose spec lets it call <c>mayCall</c>.
/// </summary>
internal static class AgentTokens
{
    public static async Task<string> CreateAsync(
        TestServer server, string agent, string? mayCall, IReadOnlyList<string>? mayCallCapabilities = null, IReadOnlyList<string>? mayPublish = null,
        IReadOnlyList<string>? mayUseModels = null)
    {
        var spec = new AgentSpec
        {
            Name = agent,
            Process = new ProcessSpec { Command = "/bin/true" },
            Replicas = 0,
            Access = mayCall is null && mayCallCapabilities is null && mayPublish is null && mayUseModels is null
                ? null
                : new AccessSpec
                {
                    Agents = mayCall is null ? [] : [mayCall], Capabilities = mayCallCapabilities ?? [], Publish = mayPublish ?? [], Models = mayUseModels ?? [],
                },
        };
        using (var applied = await server.ApplyAsync(spec))
        {
            applied.IsSuccessStatusCode.ShouldBeTrue();
        }

        var token = "berth_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        await server.Server.Services.GetRequiredService<ITokenStore>().CreateAsync(
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
