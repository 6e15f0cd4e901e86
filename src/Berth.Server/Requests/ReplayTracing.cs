using System.Diagnostics;
using Berth.Core.Requests;
using Berth.Server.Observability;

namespace Berth.Server.Requests;

/// <summary>
/// The span of a stored request's delivery from the queue (<c>replay {agent}</c>): a root of its own, since the call that stored
/// it may have ended long ago, linked to that call's trace when the stored request carried a <c>traceparent</c>.
/// </summary>
internal static class ReplayTracing
{
    public static Activity? Start(ProxiedRequest request)
    {
        if (!BerthTelemetry.Source.HasListeners())
        {
            return null;
        }

        Activity.Current = null;
        ActivityLink[]? links = null;
        foreach (var (name, value) in request.Message?.Headers ?? [])
        {
            if (string.Equals(name, "traceparent", StringComparison.OrdinalIgnoreCase) && ActivityContext.TryParse(value, null, out var origin))
            {
                links = [new ActivityLink(origin)];
                break;
            }
        }

        var activity = BerthTelemetry.Source.StartActivity(ActivityKind.Internal, links: links, name: $"replay {request.AgentName}");
        activity?.SetTag("berth.agent", request.AgentName);
        activity?.SetTag("berth.request.id", request.Id);
        activity?.SetTag("berth.request.attempt", request.Attempts);
        return activity;
    }
}
