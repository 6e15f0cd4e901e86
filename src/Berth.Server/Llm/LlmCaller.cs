using System.Collections.Frozen;
using System.Security.Claims;
using Berth.Core.Llm;
using Berth.Core.Security;
using Berth.Server.Security;

namespace Berth.Server.Llm;

/// <summary>Who makes a gateway call, as the call is recorded: an agent (by name) or a user's token (<c>token:ID</c>).</summary>
/// <param name="Name">The agent's name, or <c>token:ID</c>.</param>
/// <param name="Agent">The agent; null for a user.</param>
/// <param name="TokenId">The token the call authenticated with.</param>
/// <param name="RunId">The workflow run, when the token was minted for one of its steps (never from a header).</param>
/// <param name="StepId">The step of <paramref name="RunId"/>.</param>
internal sealed record LlmCaller(string Name, string? Agent, string? TokenId, string? RunId = null, string? StepId = null)
{
    public static LlmCaller From(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var tokenId = user.FindFirstValue(BerthClaims.TokenId);
        var agent = user.IsInRole(BerthRoles.Agent) ? user.FindFirstValue(BerthClaims.Agent) : null;
        return new LlmCaller(agent ?? $"token:{tokenId ?? "unknown"}", agent, tokenId, user.FindFirstValue(BerthClaims.Run), user.FindFirstValue(BerthClaims.Step));
    }

    /// <summary>
    /// True when an agent's <paramref name="grants"/> (<c>access.models</c>) name <paramref name="endpoint"/> whole, or the model
    /// <paramref name="model"/> of it by its name or alias. Users reach here only with a role that may call every model.
    /// </summary>
    public static bool IsGranted(FrozenSet<string> grants, string endpoint, ModelEntry model)
    {
        ArgumentNullException.ThrowIfNull(grants);
        ArgumentNullException.ThrowIfNull(model);
        return grants.Contains(endpoint) || grants.Contains($"{endpoint}/{model.Name}") || (model.Alias is { } alias && grants.Contains($"{endpoint}/{alias}"));
    }
}
