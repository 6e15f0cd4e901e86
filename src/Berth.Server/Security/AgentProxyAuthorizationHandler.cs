using Berth.Core.Security;
using Microsoft.AspNetCore.Authorization;

namespace Berth.Server.Security;

/// <summary>
/// Who may call an agent through the proxy. Operators and admins may call any agent. Agent principals are the
/// next step: they will be allowed when the target agent (the route's <c>{name}</c>) is listed in the calling
/// agent's <c>access.agents</c>. Until that check exists nothing here succeeds for them, so they are denied.
/// </summary>
internal sealed class AgentProxyAuthorizationHandler : AuthorizationHandler<AgentProxyRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AgentProxyRequirement requirement)
    {
        if (context.User.IsInRole(BerthRoles.Operator) || context.User.IsInRole(BerthRoles.Admin))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
