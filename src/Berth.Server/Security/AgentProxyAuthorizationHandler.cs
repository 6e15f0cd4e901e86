using System.Security.Claims;
using Berth.Core.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Security;

/// <summary>
/// Who may call an agent through the proxy. Operators and admins may call any agent. An agent principal may call
/// the agent named in the route (<c>/agents/{name}/…</c>) only when its own current spec lists that name in
/// <c>access.agents</c>, and the capability named in a capability route (<c>/capabilities/{capability}/…</c>) only when it
/// lists that capability in <c>access.capabilities</c> (see <see cref="AgentAccessCache"/>); anything else is denied.
/// </summary>
internal sealed class AgentProxyAuthorizationHandler(AgentAccessCache access) : AuthorizationHandler<AgentProxyRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, AgentProxyRequirement requirement)
    {
        var user = context.User;
        if (user.IsInRole(BerthRoles.Operator) || user.IsInRole(BerthRoles.Admin))
        {
            context.Succeed(requirement);
            return;
        }

        if (!user.IsInRole(BerthRoles.Agent) || user.FindFirstValue(BerthClaims.Agent) is not { Length: > 0 } caller ||
            context.Resource is not HttpContext http)
        {
            return;
        }

        var allowed = http.GetRouteValue("capability") is string capability
            ? await access.MayCallCapabilityAsync(caller, capability, http.RequestAborted)
            : http.GetRouteValue("name") is string target && await access.MayCallAsync(caller, target, http.RequestAborted);
        if (allowed)
        {
            context.Succeed(requirement);
        }
    }
}
