using Berth.Core.Agents;
using Berth.Core.Security;
using Berth.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Security;

/// <summary>
/// Issues each agent instance its own token (role <c>agent</c>, no expiry) and revokes it when the instance goes
/// away. The token's text is returned once, for the instance's environment, and never stored: the store keeps its
/// hash, so an instance re-adopted after a server restart keeps working with the token it was started with, while
/// an instance started again (even under the same id) gets a new token and the old one is revoked.
/// </summary>
internal sealed partial class AgentIdentities(
    ITokenStore store, TokenIssuer issuer, AgentAccessCache access, AgentCallback callback, TimeProvider time, ILogger<AgentIdentities> logger)
{
    /// <summary>The variable holding the instance's token.</summary>
    public const string TokenVariable = "BERTH_TOKEN";

    /// <summary>The variable holding the server's address as the instance reaches it.</summary>
    public const string UrlVariable = "BERTH_URL";

    private const string Reconciler = "reconciler";

    private int _warnedLoopback;

    /// <summary>True while instances cannot be given a <c>BERTH_URL</c> yet because the server has not bound its address.</summary>
    public bool WaitingForAddress => callback.Pending;

    /// <summary>
    /// Adds <c>BERTH_TOKEN</c> (a new token for <paramref name="instanceId"/>) and <c>BERTH_URL</c> to
    /// <paramref name="environment"/>, revoking any token the instance had before. They override the spec's env.
    /// </summary>
    public async Task AddToAsync(Dictionary<string, string> environment, AgentRecord agent, string instanceId, CancellationToken cancellationToken)
    {
        await RevokeAsync(agent.Name, t => t.InstanceId == instanceId, "instance started again", cancellationToken);
        var token = BearerTokens.Generate();
        var record = new TokenRecord
        {
            Id = BearerTokens.NewId(),
            Role = BerthRoles.Agent,
            Description = $"instance {instanceId}",
            Hash = BearerTokens.Hash(token),
            AgentName = agent.Name,
            InstanceId = instanceId,
            CreatedAt = time.GetUtcNow(),
        };
        await store.CreateAsync(record, cancellationToken);
        LogIssued(record.Id, agent.Name, instanceId);
        environment[TokenVariable] = token;
        if (callback.For(agent.Spec.Kind) is { } url)
        {
            environment[UrlVariable] = url.ToString().TrimEnd('/');
            if (agent.Spec.Kind == Core.Specs.AgentKind.Container && callback.LoopbackOnly && Interlocked.Exchange(ref _warnedLoopback, 1) == 0)
            {
                LogContainerCannotCallBack(callback.ServerAddress!.ToString());
            }
        }
        else
        {
            environment.Remove(UrlVariable);
        }
    }

    /// <summary>
    /// Mints a token for one workflow step's call to <paramref name="agentName"/>: the agent's own identity and access, naming
    /// the run and step, so the LLM calls the agent makes with it are attributed to them by Berth. It expires after
    /// <paramref name="lifetime"/> at the latest; <see cref="ForgetStepTokenAsync"/> deletes it when the call has returned.
    /// </summary>
    public async Task<(string Token, string Id)> MintStepTokenAsync(string agentName, string runId, string stepId, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var token = BearerTokens.Generate();
        var now = time.GetUtcNow();
        var record = new TokenRecord
        {
            Id = BearerTokens.NewId(),
            Role = BerthRoles.Agent,
            Description = $"run {runId} step {stepId}",
            Hash = BearerTokens.Hash(token),
            AgentName = agentName,
            RunId = runId,
            StepId = stepId,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
        await store.CreateAsync(record, cancellationToken);
        return (token, record.Id);
    }

    /// <summary>Deletes a token minted by <see cref="MintStepTokenAsync"/> once its call has returned.</summary>
    public Task ForgetStepTokenAsync(string id, CancellationToken cancellationToken) =>
        issuer.DeleteAsync(id, "workflow engine (the step's call returned)", cancellationToken);

    /// <summary>Revokes the tokens of an instance that was removed, stopped or failed to start.</summary>
    public Task RevokeInstanceAsync(string agentName, string instanceId, string why, CancellationToken cancellationToken) =>
        RevokeAsync(agentName, t => t.InstanceId == instanceId, why, cancellationToken);

    /// <summary>Revokes every token of an agent being removed and forgets its access, so its tokens stop working at once.</summary>
    public Task RevokeAgentAsync(string agentName, CancellationToken cancellationToken)
    {
        access.Forget(agentName);
        return RevokeAsync(agentName, _ => true, "agent removed", cancellationToken);
    }

    // An agent token is worth nothing once its instance is gone, so it is deleted rather than kept revoked:
    // the token list stays readable, and a deleted token is rejected like any unknown one.
    private async Task RevokeAsync(string agentName, Func<TokenRecord, bool> match, string why, CancellationToken cancellationToken)
    {
        var tokens = (await store.ListForAgentAsync(agentName, cancellationToken)).Where(t => t.Role == BerthRoles.Agent && match(t));
        foreach (var token in tokens)
        {
            await issuer.DeleteAsync(token.Id, $"{Reconciler} ({why})", cancellationToken);
        }
    }

    [LoggerMessage(EventId = 3010, Level = LogLevel.Debug, Message = "Issued token {TokenId} to instance {InstanceId} of agent {AgentName}")]
    private partial void LogIssued(string tokenId, string agentName, string instanceId);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning,
        Message = "The server listens on {Address}, a loopback address: container agents get BERTH_URL on host.docker.internal but cannot reach it. To let them call Berth, listen on an address the Docker bridge reaches (--urls http://0.0.0.0:2378 with TLS, or the bridge gateway)")]
    private partial void LogContainerCannotCallBack(string address);
}
