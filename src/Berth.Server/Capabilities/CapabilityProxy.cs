using Berth.Server.Audit;
using Berth.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Server.Capabilities;

/// <summary>
/// Maps <c>/capabilities/{capability}/{**path}</c> beside the agent proxy, under the same policy
/// (<see cref="BerthPolicies.AgentProxy"/>): operators and admins may call any capability, an agent token only the capabilities
/// its spec lists in <c>access.capabilities</c>.
/// </summary>
internal static class CapabilityProxy
{
    public static RouteGroupBuilder MapCapabilityProxy(this IEndpointRouteBuilder app)
    {
        var proxy = app.MapGroup("/capabilities").WithTags("Proxy").ExcludeFromDescription().RequireAuthorization(BerthPolicies.AgentProxy)
            .NotAudited("a call by capability is the serving agent's business, not a change to Berth (denied calls are still audited)");
        proxy.Map("/{capability}/{**path}", (string capability, HttpContext context, CapabilityForwarder forwarder) => forwarder.ForwardAsync(capability, context));
        return proxy;
    }
}
