using System.Security.Claims;
using Berth.Core.Security;
using Berth.Server.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Messaging;

/// <summary>
/// Who may do what with messages. Operators and admins may do everything; viewers nothing that moves a message (a receive
/// leases, so it is not a read). An agent principal may publish to the topics its current spec lists in <c>access.publish</c>,
/// consume a subscription only when that subscription is delivered to it (<c>delivery.pull.agent</c> or <c>delivery.push.agent</c>),
/// send to its own mailbox and to the mailboxes of the agents it may call (<c>access.agents</c>), and read only its own mailbox.
/// The route group names the action (endpoint metadata); the resource is the route value it names.
/// </summary>
internal sealed class MessagingAuthorizationHandler(AgentAccessCache access, MessagingTopology topology) : AuthorizationHandler<MessagingAccessRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, MessagingAccessRequirement requirement)
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

        if (await AllowedAsync(requirement.Action, caller, http))
        {
            context.Succeed(requirement);
        }
    }

    private async Task<bool> AllowedAsync(MessagingAction action, string caller, HttpContext http)
    {
        var ct = http.RequestAborted;
        switch (action)
        {
            case MessagingAction.Publish:
                return http.GetRouteValue("name") is string topic && await access.MayPublishAsync(caller, topic, ct);
            case MessagingAction.Consume:
                return http.GetRouteValue("name") is string name && await topology.SubscriptionAsync(name, ct) is { } subscription
                    && string.Equals(subscription.Delivery.Agent, caller, StringComparison.Ordinal);
            case MessagingAction.Send:
                return http.GetRouteValue("agent") is string target
                    && (string.Equals(target, caller, StringComparison.Ordinal) || await access.MayCallAsync(caller, target, ct));
            case MessagingAction.ReadMailbox:
                return http.GetRouteValue("agent") is string owner && string.Equals(owner, caller, StringComparison.Ordinal);
            default:
                return false;
        }
    }
}
