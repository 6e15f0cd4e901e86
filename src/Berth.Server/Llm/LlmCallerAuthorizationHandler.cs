using System.Security.Claims;
using Berth.Core.Llm;
using Berth.Core.Security;
using Berth.Server.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Llm;

/// <summary>
/// Who may call a model endpoint through the gateway: operators and admins any endpoint (a call spends money, so viewers may
/// not); an agent only an endpoint its current spec's <c>access.models</c> names, whole or by one model. Which model of it an
/// agent may use is checked once the body names one.
/// </summary>
internal sealed class LlmCallerAuthorizationHandler(AgentAccessCache access) : AuthorizationHandler<LlmCallerRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, LlmCallerRequirement requirement)
    {
        var user = context.User;
        if (user.IsInRole(BerthRoles.Operator) || user.IsInRole(BerthRoles.Admin))
        {
            context.Succeed(requirement);
            return;
        }

        if (!user.IsInRole(BerthRoles.Agent) || user.FindFirstValue(BerthClaims.Agent) is not { Length: > 0 } agent ||
            context.Resource is not HttpContext http || http.GetRouteValue("endpoint") is not string endpoint)
        {
            return;
        }

        var grants = await access.ModelGrantsAsync(agent, http.RequestAborted);
        if (grants.Any(g => ModelRules.SplitGrant(g).Endpoint == endpoint))
        {
            context.Succeed(requirement);
        }
    }
}
