using System.Security.Claims;
using Berth.Core.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Security;

/// <summary>
/// Who may call an agent through the proxy. Operators and admins may call any agent. An agent principal may call
/// the agent named in the route (<c>/agents/{name}/…</c>) only when its own current spec lists that name in
/// <c>access.agents</c> (see <see cref="AgentAccessCache"/>); anything else is denied.
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
            context.Resource is not HttpContext http || http.GetRouteValue("name") is not string target)
        {
            return;
        }

        if (await access.MayCallAsync(caller, target, http.RequestAborted))
        {
            context.Succeed(requirement);
        }
    }
}
