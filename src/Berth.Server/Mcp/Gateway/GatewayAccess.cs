using System.Security.Claims;
using Berth.Core.Security;
using Berth.Server.Security;

namespace Berth.Server.Mcp.Gateway;

/// <summary>
/// Whose tools a gateway caller sees and may call. Users see every MCP agent's tools; viewers may not call them, operators and
/// admins may. An agent's token sees and calls only the agents its current spec names in <c>access.agents</c>, read through the
/// proxy's own <see cref="AgentAccessCache"/>, so the gateway and <c>/agents/{name}/…</c> agree.
/// </summary>
internal sealed class GatewayAccess(AgentAccessCache access)
{
    public async ValueTask<bool> MaySeeAsync(ClaimsPrincipal user, string agent, CancellationToken cancellationToken)
    {
        if (user.IsInRole(BerthRoles.Viewer) || user.IsInRole(BerthRoles.Operator) || user.IsInRole(BerthRoles.Admin))
        {
            return true;
        }

        return user.IsInRole(BerthRoles.Agent) && user.FindFirstValue(BerthClaims.Agent) is { Length: > 0 } caller &&
               await access.MayCallAsync(caller, agent, cancellationToken);
    }

    /// <summary>Whether a caller who may see an agent's tools may also call them: everyone but a viewer.</summary>
    public static bool MayCall(ClaimsPrincipal user) =>
        user.IsInRole(BerthRoles.Operator) || user.IsInRole(BerthRoles.Admin) || user.IsInRole(BerthRoles.Agent);

    /// <summary>The refusal a viewer gets, the one <see cref="ToolRoles"/> gives for the platform's tools.</summary>
    public static ToolFailure Refusal(ClaimsPrincipal user, string tool) => ToolRoles.Refusal(user, tool, BerthPolicies.Operator);
}
