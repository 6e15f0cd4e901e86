using Berth.Core.Messaging;

namespace Berth.Core.Workflows;

/// <summary>What starts a workflow's runs besides a caller and its schedules (<c>on:</c>).</summary>
public sealed record WorkflowTriggerSpec
{
    /// <summary>Each matching message published to a topic starts one run; null for none.</summary>
    public MessageTriggerSpec? Message { get; set; }
}
